import { notifications } from '@mantine/notifications';
import { errorMessage } from '../api';

export const notifyError = (error: unknown): void => {
  notifications.show({ color: 'red', title: 'Not saved', message: errorMessage(error) });
};

export const notifyDone = (message: string): void => {
  notifications.show({ color: 'green', message });
};
