import { Alert, Badge, Text } from '@mantine/core';

/** An error from a call or a device: the message in words, then its code for whoever supports the desk. */
export function ErrorAlert({ title, error, testId }: { title?: string; error: { code: string; message: string }; testId: string }) {
  return (
    <Alert color="red" role="alert" title={title} data-testid={testId}>
      <Text size="sm">{error.message}</Text>
      <Badge color="gray" variant="light" ff="monospace" tt="none" mt={4}>
        {error.code}
      </Badge>
    </Alert>
  );
}
