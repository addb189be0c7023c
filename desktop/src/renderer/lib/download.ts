/** Saves a base64 file (a receipt PDF) through the browser's download. */
export function downloadBase64(base64: string, fileName: string, type: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
