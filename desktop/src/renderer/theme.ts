import { Button, createTheme, NativeSelect, PasswordInput, SegmentedControl, Tabs, Textarea, TextInput } from '@mantine/core';

const large = { defaultProps: { size: 'md' } };

/** Large type for a busy front desk read at arm's length. */
export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontSizes: { xs: '0.875rem', sm: '1rem', md: '1.125rem', lg: '1.25rem', xl: '1.5rem' },
  headings: { sizes: { h1: { fontSize: '2rem' }, h2: { fontSize: '1.625rem' }, h3: { fontSize: '1.375rem' } } },
  components: {
    Button: Button.extend(large),
    TextInput: TextInput.extend(large),
    PasswordInput: PasswordInput.extend(large),
    NativeSelect: NativeSelect.extend(large),
    Textarea: Textarea.extend(large),
    SegmentedControl: SegmentedControl.extend(large),
    Tabs: Tabs.extend({ styles: { tab: { fontSize: 'var(--mantine-font-size-md)' } } }),
  },
});
