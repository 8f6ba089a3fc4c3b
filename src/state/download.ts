/** Saves text as a file through a temporary object URL. */
export function downloadText(text: string, filename: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "cc_general.csv" -> "cc_general" */
export function baseName(name: string): string {
  return name.replace(/\.[^.]+$/, '') || 'data';
}
