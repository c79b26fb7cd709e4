import { describe, expect, it } from 'vitest';
import {
  bytesAxisFormatter,
  formatBytes,
  formatCompact,
  formatCount,
  formatQuant,
  formatShape,
} from '../../../src/app/lib/format.ts';

describe('display formatting', () => {
  it('keeps every digit of exact counts', () => {
    expect(formatCount(7157888)).toBe('7,157,888');
    expect(formatCount(0)).toBe('0');
  });

  it('gives a compact companion figure', () => {
    expect(formatCompact(7157888)).toBe('7.16 M');
    expect(formatCompact(300774272)).toBe('300.77 M');
    expect(formatCompact(4160)).toBe('4.2 k');
    expect(formatCompact(288)).toBe('288');
  });

  it('uses binary units for sizes', () => {
    expect(formatBytes(1000)).toBe('1000 B');
    expect(formatBytes(300568)).toBe('293.5 KiB');
    expect(formatBytes(3980776)).toBe('3.80 MiB');
  });

  it('writes shapes with × and names scalars', () => {
    expect(formatShape([1, 96, 96, 1])).toBe('1×96×96×1');
    expect(formatShape([])).toBe('scalar');
  });

  it('describes per-tensor and per-channel quantization', () => {
    expect(formatQuant({ scale: [0.00390625], zeroPoint: [-128], quantizedDimension: 0 })).toBe(
      's 0.003906 · zp -128',
    );
    expect(
      formatQuant({ scale: [0.1, 0.2, 0.3], zeroPoint: [0, 0, 0], quantizedDimension: 3 }),
    ).toBe('per-channel ×3 (axis 3)');
    expect(formatQuant(null)).toBe('');
    expect(formatQuant({ scale: [], zeroPoint: [], quantizedDimension: 0 })).toBe('');
  });
});

describe('byte axis labels', () => {
  it('keep one unit chosen from the axis maximum', () => {
    const kib = bytesAxisFormatter(2084);
    expect([0, 512, 1024, 1536].map(kib)).toEqual(['0 KiB', '0.5 KiB', '1 KiB', '1.5 KiB']);
    expect(bytesAxisFormatter(900)(300)).toBe('300 B');
    expect(bytesAxisFormatter(2451840)(1048576)).toBe('1 MiB');
  });
});
