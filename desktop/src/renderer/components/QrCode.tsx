import { create } from 'qrcode';
import { useMemo } from 'react';

/** The white border scanners need around a code, in modules. */
const QUIET_ZONE = 4;

/** A QR code drawn as SVG: one path of dark modules, crisp at any size. */
export function QrCode({ value, size, label, testId }: { value: string; size: number; label: string; testId?: string }) {
  const { path, extent } = useMemo(() => {
    const { modules } = create(value, { errorCorrectionLevel: 'M' });
    let d = '';
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        if (modules.get(row, col)) d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
      }
    }
    return { path: d, extent: modules.size + 2 * QUIET_ZONE };
  }, [value]);
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${extent} ${extent}`} width={size} height={size} shapeRendering="crispEdges" data-testid={testId} data-value={value}>
      <rect width={extent} height={extent} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
