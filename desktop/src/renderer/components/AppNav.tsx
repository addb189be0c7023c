import { Kbd, NavLink, Stack } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { hasRole } from '@gymstack/shared';
import { useNavigation } from '../hooks/useNavigation';
import { useStaff } from '../hooks/useStaff';
import { NAV_ITEMS } from './nav-items';

/** The left navigation; its function keys work anywhere except while typing in a field. */
export function AppNav() {
  const { route, navigate } = useNavigation();
  const { role } = useStaff();
  const items = NAV_ITEMS.filter((item) => !item.minRole || hasRole(role, item.minRole));

  useHotkeys([
    ...items.map((item): [string, () => void] => [item.hotkey, () => navigate(item.route)]),
    ['/', () => route.screen !== 'checkin' && navigate({ screen: 'checkin' })],
  ]);

  return (
    <Stack component="nav" aria-label="Main" gap={4}>
      {items.map((item) => (
        <NavLink
          key={item.label}
          component="button"
          label={item.label}
          rightSection={<Kbd size="sm">{item.hotkey}</Kbd>}
          active={item.screens.includes(route.screen)}
          aria-current={item.screens.includes(route.screen) ? 'page' : undefined}
          aria-keyshortcuts={item.hotkey}
          onClick={() => navigate(item.route)}
          fz="lg"
          py="sm"
          data-testid={`nav-${item.route.screen}`}
        />
      ))}
    </Stack>
  );
}
