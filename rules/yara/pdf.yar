/*
  PDF actions. Written for Chorus; strings only. Chorus also scans the Flate streams it inflates, so names
  hidden in compressed object streams are seen.
*/

rule Chorus_PDF_JavaScript_On_Open
{
    meta:
        description = "PDF that runs JavaScript from an action on opening"
        reference = "MITRE ATT&CK T1204.002 (malicious file); ISO 32000-1 12.6 (actions)"
        severity = "high"
    strings:
        $open1 = "/OpenAction"
        $open2 = "/AA"
        $js1 = "/JavaScript"
        $js2 = "/JS"
        $js3 = "/J#61vaScript"
    condition:
        any of ($open*) and any of ($js*)
}

rule Chorus_PDF_Launch_Action
{
    meta:
        description = "PDF /Launch action that starts a program or opens a file"
        reference = "ISO 32000-1 12.6.4.5 (launch actions)"
        severity = "high"
    strings:
        $a = "/Launch"
        $b = /\/Win\s*<<[^>]{0,200}\/F\s*\(/
        $c = /(cmd|powershell|mshta)(\.exe)?/ nocase
    condition:
        $a and ($b or $c)
}
