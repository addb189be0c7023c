import { useState } from 'react';
import { MessageList, useMessages } from './MessageList';

const PAGE_SIZE = 10;

/** One member's WhatsApp messages, for any staff member: "did my reminder go out?" is asked at the counter. */
export function MemberMessages({ memberId }: { memberId: string }) {
  const [page, setPage] = useState(1);
  const messages = useMessages('messages/member', { memberId, page, perPage: PAGE_SIZE });
  return <MessageList messages={messages} page={page} perPage={PAGE_SIZE} onPage={setPage} showMember={false} />;
}
