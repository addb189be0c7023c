import { createContext, useContext } from 'react';
import { hasRole, type Staff, type StaffRole } from '@gymstack/shared';

export const StaffContext = createContext<Staff | null>(null);

/** The staff member logged in on this desk; only rendered inside the logged-in shell. */
export function useStaff(): Staff {
  const staff = useContext(StaffContext);
  if (!staff) throw new Error('useStaff outside the logged-in shell');
  return staff;
}

export const useHasRole = (atLeast: StaffRole): boolean => hasRole(useStaff().role, atLeast);
