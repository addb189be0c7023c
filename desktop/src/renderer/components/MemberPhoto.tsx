import { Avatar, type AvatarProps } from '@mantine/core';
import { useDeskQuery } from '../hooks/useDesk';

interface MemberPhotoProps extends Omit<AvatarProps, 'src' | 'alt'> {
  memberId: string;
  name: string;
  /** Skip the lookup when the member is known to have no photo. */
  hasPhoto?: boolean;
}

/** The member's photo, or their initials. */
export function MemberPhoto({ memberId, name, hasPhoto = true, ...props }: MemberPhotoProps) {
  const photo = useDeskQuery('members/photo', { memberId }, { enabled: hasPhoto, staleTime: Infinity });
  return <Avatar src={photo.data?.dataUrl ?? null} alt={name} name={name} color="initials" {...props} />;
}
