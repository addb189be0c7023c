import { Button, SimpleGrid } from '@mantine/core';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'C', '0', '⌫'] as const;

interface PinPadProps {
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
  disabled?: boolean;
}

/** On-screen digits for a touch screen; the keyboard types into the PIN field directly. */
export function PinPad({ value, onChange, maxLength, disabled }: PinPadProps) {
  const press = (key: (typeof KEYS)[number]) => {
    if (key === 'C') onChange('');
    else if (key === '⌫') onChange(value.slice(0, -1));
    else if (value.length < maxLength) onChange(value + key);
  };
  return (
    <SimpleGrid cols={3} spacing="xs" role="group" aria-label="PIN pad">
      {KEYS.map((key) => (
        <Button
          key={key}
          size="xl"
          variant="default"
          disabled={disabled}
          tabIndex={-1}
          aria-label={key === '⌫' ? 'Delete last digit' : key === 'C' ? 'Clear PIN' : key}
          onClick={() => press(key)}
        >
          {key}
        </Button>
      ))}
    </SimpleGrid>
  );
}
