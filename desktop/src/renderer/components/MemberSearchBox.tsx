import { Alert, Group, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { getHotkeyHandler } from '@mantine/hooks';
import { useEffect, useId, useState, type Ref } from 'react';
import type { MemberSummary } from '../../core/contract';
import { useMemberSearch } from '../hooks/useMemberSearch';
import { MemberPhoto } from './MemberPhoto';
import { StateBadge } from './StateBadge';

/** Looks like a printed member code (has a digit), so Enter can check it in before results arrive. */
const MEMBER_CODE = /^(?=.*\d)[A-Z0-9]{3,12}$/;

interface MemberSearchBoxProps {
  label: string;
  onPick: (member: MemberSummary) => void;
  /** Enter on a typed member code that the results do not (yet) show. */
  onCode?: (code: string) => void;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
  testId: string;
}

/** Keyboard-first member search: type, ArrowUp/ArrowDown to pick, Enter to choose. */
export function MemberSearchBox({ label, onPick, onCode, inputRef, autoFocus, testId }: MemberSearchBoxProps) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  /** Enter pressed before the results caught up with the typing: act once they do. */
  const [enterPending, setEnterPending] = useState(false);
  const { results, settled, error } = useMemberSearch(query);
  const listId = useId();
  const optionId = (index: number) => `${listId}-${index}`;
  const highlighted = Math.min(active, Math.max(results.length - 1, 0));

  const choose = (member: MemberSummary) => {
    setQuery('');
    setActive(0);
    onPick(member);
  };
  const enter = () => {
    const code = query.trim().toUpperCase();
    const exact = results.find((m) => m.code === code);
    const picked = exact ?? (settled ? results[highlighted] : undefined);
    if (picked) choose(picked);
    else if (onCode && MEMBER_CODE.test(code)) {
      setQuery('');
      onCode(code);
    } else if (!settled) setEnterPending(true);
  };
  useEffect(() => {
    if (!enterPending || !settled) return;
    setEnterPending(false);
    enter();
  });
  const move = (by: number) => results.length > 0 && setActive((highlighted + by + results.length) % results.length);

  return (
    <Stack gap="xs">
      <TextInput
        ref={inputRef}
        label={label}
        placeholder="Name, phone or member code"
        size="lg"
        autoFocus={autoFocus}
        autoComplete="off"
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={results.length > 0 ? optionId(highlighted) : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setActive(0);
          setEnterPending(false);
        }}
        onKeyDown={getHotkeyHandler([
          ['ArrowDown', () => move(1)],
          ['ArrowUp', () => move(-1)],
          ['Enter', enter],
          ['Escape', () => setQuery('')],
        ])}
        data-testid={testId}
      />
      {error && <Alert color="red">{error.message}</Alert>}
      {results.length > 0 && (
        <Paper withBorder role="listbox" id={listId} aria-label={`${label} results`} data-testid={`${testId}-results`}>
          {results.map((member, index) => (
            <UnstyledButton
              key={member.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === highlighted}
              tabIndex={-1}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(member)}
              w="100%"
              px="md"
              py="xs"
              bg={index === highlighted ? 'var(--mantine-primary-color-light)' : undefined}
              data-testid="search-result"
            >
              <Group wrap="nowrap" gap="sm">
                <MemberPhoto memberId={member.id} name={member.fullName} hasPhoto={member.hasPhoto} size="md" />
                <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                  <Text fw={600} truncate>
                    {member.fullName}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {member.code} · {member.phone}
                  </Text>
                </Stack>
                <StateBadge state={member.status.state} />
              </Group>
            </UnstyledButton>
          ))}
        </Paper>
      )}
    </Stack>
  );
}
