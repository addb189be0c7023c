import { Autocomplete, Stack, Text } from '@mantine/core';
import { portText, type Ports } from '../lib/usb';

type Port = Ports['serial'][number] | Ports['hid'][number];

interface PortInputProps {
  label: string;
  placeholder?: string;
  value: string;
  onChange: (path: string) => void;
  error?: string;
  /** What is plugged in, offered as choices; any other path can still be typed. */
  ports: readonly Port[];
}

/** A device path, picked from what is plugged in (each choice says what is on it) or typed. */
export function PortInput({ ports, ...input }: PortInputProps) {
  const descriptions = new Map(ports.map((port) => [port.path, portText(port)]));
  return (
    <Autocomplete
      {...input}
      required
      data={[...descriptions.keys()]}
      // Few ports are plugged in: list them all, so a path already in the box does not hide the others.
      filter={({ options }) => options}
      renderOption={({ option }) => {
        const description = descriptions.get(option.value);
        return (
          <Stack gap={0}>
            <Text size="sm" ff="monospace">
              {option.value}
            </Text>
            {description && (
              <Text size="xs" c="dimmed">
                {description}
              </Text>
            )}
          </Stack>
        );
      }}
    />
  );
}
