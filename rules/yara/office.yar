/*
  Office macros and document tricks. Written for Chorus; rules match on strings only, because Chorus runs one
  scan over all the files of a message (see docs/email.md, "YARA"). The VBA source that Chorus decompresses
  from a project is scanned as well as the raw file.
*/

rule Chorus_VBA_AutoExec_Shell
{
    meta:
        description = "VBA macro that runs by itself on opening and starts a program or script host"
        reference = "MITRE ATT&CK T1137.001 (Office template macros), T1204.002 (malicious file); MS-OVBA"
        severity = "high"
    strings:
        $auto1 = /Sub\s+(Auto_?Open|Document_Open|Workbook_Open|AutoExec|Auto_Activate)\b/ nocase
        $shell1 = /\bShell\s*\(?\s*["A-Za-z]/ nocase
        $shell2 = "WScript.Shell" nocase
        $shell3 = "Shell.Application" nocase
        $host1 = "powershell" nocase
        $host2 = "mshta" nocase
        $host3 = "cmd /c" nocase
    condition:
        $auto1 and any of ($shell*, $host*)
}

rule Chorus_VBA_Downloader
{
    meta:
        description = "VBA macro that downloads a file and writes it to disk"
        reference = "MITRE ATT&CK T1105 (ingress tool transfer) through Office macros"
        severity = "high"
    strings:
        $dl1 = "URLDownloadToFile" nocase
        $dl2 = "MSXML2.XMLHTTP" nocase
        $dl3 = "WinHttp.WinHttpRequest" nocase
        $dl4 = "Microsoft.XMLHTTP" nocase
        $wr1 = "ADODB.Stream" nocase
        $wr2 = "SaveToFile" nocase
        $wr3 = /\bOpen\s+\S+\s+For\s+Binary/ nocase
    condition:
        $dl1 or (any of ($dl2, $dl3, $dl4) and any of ($wr*))
}

rule Chorus_Office_Remote_Template
{
    meta:
        description = "OOXML relationship that loads an attached template from the network (template injection)"
        reference = "MITRE ATT&CK T1221 (template injection)"
        severity = "high"
    strings:
        $type = "relationships/attachedTemplate"
        $ext = "TargetMode=\"External\""
        $http = /Target="(https?:|\\\\\\\\)/ nocase
    condition:
        $type and $ext and $http
}

rule Chorus_Office_DDE
{
    meta:
        description = "DDE field or link that asks Office to start another program"
        reference = "MITRE ATT&CK T1559.002 (dynamic data exchange)"
        severity = "high"
    strings:
        $f1 = /<w:instrText[^>]*>\s*DDE(AUTO)?\b/ nocase
        $f2 = /w:instr="\s*DDE(AUTO)?\b/ nocase
        $x1 = "<ddeLink" nocase
    condition:
        any of them
}

rule Chorus_Excel4_Macro_Exec
{
    meta:
        description = "Excel 4 macro formulas that run programs or call Windows functions"
        reference = "MITRE ATT&CK T1059 (command and scripting interpreter) through XLM macros"
        severity = "high"
    strings:
        $a = /=\s*EXEC\s*\(/ nocase
        $b = /=\s*CALL\s*\(\s*"(urlmon|kernel32|shell32)/ nocase
        $c = /=\s*REGISTER\s*\(\s*"(urlmon|kernel32|shell32)/ nocase
    condition:
        any of them
}
