import { useNavigation } from '../hooks/useNavigation';
import { CheckinScreen } from '../screens/CheckinScreen';
import { DashboardScreen } from '../screens/DashboardScreen';
import { DevicesScreen } from '../screens/DevicesScreen';
import { MemberProfileScreen } from '../screens/MemberProfileScreen';
import { MembersScreen } from '../screens/MembersScreen';
import { MessagesScreen } from '../screens/MessagesScreen';
import { PlansScreen } from '../screens/PlansScreen';
import { SellScreen } from '../screens/SellScreen';
import { SettingsScreen } from '../screens/SettingsScreen';
import { SyncIssuesScreen } from '../screens/SyncIssuesScreen';

export function CurrentScreen() {
  const { route } = useNavigation();
  switch (route.screen) {
    case 'checkin':
      return <CheckinScreen />;
    case 'members':
      return <MembersScreen filter={route.filter} page={route.page} />;
    case 'member':
      return <MemberProfileScreen key={route.memberId} memberId={route.memberId} />;
    case 'sell':
      return <SellScreen key={route.memberId ?? 'new'} memberId={route.memberId} />;
    case 'dashboard':
      return <DashboardScreen />;
    case 'plans':
      return <PlansScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'sync':
      return <SyncIssuesScreen />;
    case 'devices':
      return <DevicesScreen />;
    case 'messages':
      return <MessagesScreen status={route.status} template={route.template} page={route.page} />;
  }
}
