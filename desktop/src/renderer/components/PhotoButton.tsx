import { Button, FileButton } from '@mantine/core';
import { useDeskMutation } from '../hooks/useDesk';
import { resizeToJpeg } from '../lib/image';
import { notifyError } from '../lib/notify';

/** Picks a photo, shrinks it to at most 480 px as JPEG here in the desk, and saves it. */
export function PhotoButton({ memberId }: { memberId: string }) {
  const setPhoto = useDeskMutation('members/setPhoto');
  const upload = async (file: File | null) => {
    if (!file) return;
    try {
      setPhoto.mutate({ memberId, dataUrl: await resizeToJpeg(file) }, { onError: notifyError });
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <FileButton onChange={(file) => void upload(file)} accept="image/png,image/jpeg,image/webp">
      {(props) => (
        <Button {...props} variant="subtle" size="compact-sm" loading={setPhoto.isPending} data-testid="photo-upload">
          Change photo
        </Button>
      )}
    </FileButton>
  );
}
