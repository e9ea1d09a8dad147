/*
  Script hosts and download cradles, in any file Chorus looks at (shortcut arguments, HTA pages, OneNote
  embedded files, decoded payloads). Written for Chorus; strings only (one scan covers a message's files).
*/

rule Chorus_PowerShell_Download_Cradle
{
    meta:
        description = "PowerShell command that downloads and runs code (a download cradle)"
        reference = "MITRE ATT&CK T1059.001 (PowerShell), T1105 (ingress tool transfer)"
        severity = "high"
    strings:
        $ps = "powershell" nocase wide ascii
        $d1 = "DownloadString" nocase wide ascii
        $d2 = "DownloadFile" nocase wide ascii
        $d3 = /\b(iwr|Invoke-WebRequest|irm|Invoke-RestMethod)\b/ nocase wide ascii
        $d4 = "Net.WebClient" nocase wide ascii
        $d5 = "Start-BitsTransfer" nocase wide ascii
        $x1 = /\b(iex|Invoke-Expression)\b/ nocase wide ascii
        $x2 = /-e(nc|ncodedcommand)?\s+[A-Za-z0-9+\/]{40,}/ nocase wide ascii
    condition:
        $ps and any of ($d*) and any of ($x*)
}

rule Chorus_LNK_Script_Host
{
    meta:
        description = "Windows shortcut whose target or arguments start a script host"
        reference = "MITRE ATT&CK T1204.002 (malicious file), T1547.009 (shortcut modification); MS-SHLLINK"
        severity = "high"
    strings:
        $lnk = { 4C 00 00 00 01 14 02 00 00 00 00 00 C0 00 00 00 00 00 00 46 }
        $h1 = "powershell" nocase wide ascii
        $h2 = "mshta" nocase wide ascii
        $h3 = "wscript" nocase wide ascii
        $h4 = "cscript" nocase wide ascii
        $h5 = "cmd.exe" nocase wide ascii
        $h6 = "rundll32" nocase wide ascii
        $h7 = "regsvr32" nocase wide ascii
    condition:
        $lnk and any of ($h*)
}

rule Chorus_HTA_Or_WSH_Script
{
    meta:
        description = "HTML application or Windows Script Host code that starts programs"
        reference = "MITRE ATT&CK T1218.005 (mshta), T1059.005 (Visual Basic)"
        severity = "high"
    strings:
        $hta = "<hta:application" nocase
        $vbs = /<script[^>]+language\s*=\s*["']?vbscript/ nocase
        $run1 = /CreateObject\s*\(\s*["']WScript\.Shell["']\s*\)/ nocase
        $run2 = /\.Run\s*\(?\s*["']/ nocase
    condition:
        ($hta or $vbs) and $run1 and $run2
}
