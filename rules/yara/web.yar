/*
  Web pages attached to mail: HTML smuggling and credential forms. Written for Chorus; strings only.
*/

rule Chorus_HTML_Smuggling_Blob
{
    meta:
        description = "Page that decodes base64 into a Blob and offers it as a download (HTML smuggling)"
        reference = "MITRE ATT&CK T1027.006 (HTML smuggling)"
        severity = "high"
    strings:
        $blob = /new\s+Blob\s*\(/
        $save1 = "URL.createObjectURL"
        $save2 = "msSaveOrOpenBlob"
        $save3 = /\.download\s*=/
        $dec1 = /atob\s*\(/
        $dec2 = "base64," nocase
        $dec3 = "fromCharCode"
    condition:
        $blob and any of ($save*) and any of ($dec*)
}

rule Chorus_HTML_Data_Download
{
    meta:
        description = "Link that downloads a file built into the page itself (data: or blob: with download)"
        reference = "MITRE ATT&CK T1027.006 (HTML smuggling)"
        severity = "medium"
    strings:
        $a = /<a[^>]{0,400}download[^>]{0,400}href\s*=\s*["']\s*(data|blob):/ nocase
        $b = /<a[^>]{0,400}href\s*=\s*["']\s*(data|blob):[^>]{0,400}download/ nocase
        $c = /<(embed|object|iframe)[^>]{0,400}(src|data)\s*=\s*["']\s*data:/ nocase
    condition:
        any of them
}

rule Chorus_HTML_Credential_Form_Exfil
{
    meta:
        description = "Attached page with a password field posting to a remote server"
        reference = "MITRE ATT&CK T1566.001 (spearphishing attachment), T1056.003 (web portal capture)"
        severity = "medium"
    strings:
        $pw = /type\s*=\s*["']?password/ nocase
        $post1 = /<form[^>]{0,400}action\s*=\s*["']https?:/ nocase
        $post2 = /fetch\s*\(\s*["']https?:/ nocase
        $post3 = /\.open\s*\(\s*["']POST["']\s*,\s*["']https?:/ nocase
    condition:
        $pw and any of ($post*)
}
