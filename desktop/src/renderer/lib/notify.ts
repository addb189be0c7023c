import { notifications } from '@mantine/notifications';
import { errorMessage } from '../api';

/** An error notification under `title`, for failures that are not a save (a scan, a device test). */
export const notifyFailure =
  (title: string) =>
  (error: unknown): void => {
    notifications.show({ color: 'red', title, message: errorMessage(error) });
  };

export const notifyError = notifyFailure('Not saved');

export const notifyDone = (message: string): void => {
  notifications.show({ color: 'green', message });
};
