/** File-name vocabulary shared by the attachment and content checks. */

/** Files that run code when opened on Windows, macOS, Android or in a browser-like host. */
export const EXECUTABLE_EXTENSIONS: ReadonlySet<string> = new Set(
  "exe scr com pif cpl msi msp dll bat cmd ps1 psm1 vbs vbe js jse wsf wsh hta lnk jar apk reg chm msc sct scf inf app dmg pkg command sh elf xll url appref-ms".split(
    " ",
  ),
);
/** Disk images and similar containers that slip executables past mail filters. */
export const CONTAINER_EXTENSIONS: ReadonlySet<string> = new Set("iso img vhd vhdx udf".split(" "));

/** The extension of a file name, lower case without the dot; "" when there is none. */
export function extOf(name: string): string {
  // Windows drops trailing dots and spaces when it saves a file: "invoice.js." is saved as invoice.js
  const m = /\.([A-Za-z0-9-]{1,10})$/.exec(name.trim().replace(/[. ]+$/, ""));
  return m ? m[1]!.toLowerCase() : "";
}
