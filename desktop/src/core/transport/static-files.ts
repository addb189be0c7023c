import { stat } from 'node:fs/promises';
import path from 'node:path';

export interface StaticFile {
  path: string;
  size: number;
  contentType: string;
  cacheControl: string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.wasm': 'application/wasm',
};

/** Vite content-hashes everything under assets/, so those may be cached for good; the rest must revalidate. */
const cacheControlFor = (root: string, file: string) =>
  file.startsWith(path.join(root, 'assets') + path.sep) ? 'public, max-age=31536000, immutable' : 'no-cache';

async function sizeOfFile(file: string): Promise<number | null> {
  try {
    const s = await stat(file);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

/**
 * Maps a URL path to a file of the built renderer, never outside `root`. A missing path without an
 * extension is a client-side route and gets index.html (SPA fallback); a missing asset stays a 404.
 */
export async function resolveStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const base = path.resolve(root);
  const requested = path.join(base, path.normalize(`/${decoded}`));
  if (requested !== base && !requested.startsWith(base + path.sep)) return null;

  const candidates = path.extname(requested) ? [requested] : [requested, path.join(base, 'index.html')];
  for (const file of candidates) {
    const size = await sizeOfFile(file);
    if (size !== null) {
      return {
        path: file,
        size,
        contentType: contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        cacheControl: cacheControlFor(base, file),
      };
    }
  }
  return null;
}
