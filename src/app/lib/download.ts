// Saving a file the app made (report, CSV, export zip) to the user's disk.
export function saveFile(fileName: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own reference once started.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
