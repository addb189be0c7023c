import { Text, type TextProps } from '@mantine/core';
import { formatInr } from '@gymstack/shared';

/** Rupees with Indian grouping (₹1,23,456.00), digits aligned in columns. */
export function Money({ paise, ...props }: { paise: number } & TextProps) {
  return (
    <Text component="span" inherit style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} {...props}>
      {formatInr(paise)}
    </Text>
  );
}
