import { execFile } from 'node:child_process';

/**
 * A PDF's text as poppler's pdftotext reads it, laid out (so a label and its amount on one line stay on
 * one line) and with runs of whitespace collapsed: what a reader of the document sees.
 */
export function pdfText(pdf: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('pdftotext', ['-layout', '-', '-'], { encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout.replace(/\s+/g, ' '))));
    child.stdin?.end(pdf);
  });
}
