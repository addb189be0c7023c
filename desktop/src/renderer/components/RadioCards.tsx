import { Group, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

interface RadioCardOption<T extends string> {
  value: T;
  label: string;
  detail?: ReactNode;
}

interface RadioCardsProps<T extends string> {
  label: string;
  value: T | null;
  onChange: (value: T) => void;
  options: readonly RadioCardOption<T>[];
  cols: number;
  error?: string;
  testId?: string;
}

/** A labelled choice shown as large cards: every option visible, one click or Tab + Space to pick. */
export function RadioCards<T extends string>({ label, value, onChange, options, cols, error, testId }: RadioCardsProps<T>) {
  return (
    <Radio.Group label={label} size="md" value={value} onChange={(next) => onChange(next as T)} error={error} data-testid={testId}>
      <SimpleGrid cols={cols} spacing="xs" mt={4}>
        {options.map((option) => (
          <Radio.Card key={option.value} value={option.value} px="sm" py="xs" radius="md">
            <Group wrap="nowrap" align="center" gap="sm">
              <Radio.Indicator />
              <Stack gap={0}>
                <Text fw={700}>{option.label}</Text>
                {option.detail}
              </Stack>
            </Group>
          </Radio.Card>
        ))}
      </SimpleGrid>
    </Radio.Group>
  );
}
