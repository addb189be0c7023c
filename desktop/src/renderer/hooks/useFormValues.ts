import { useState } from 'react';

type StringKeys<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V];

/** A form's values as typed, plus `value`/`onChange` props for binding text inputs and native selects. */
export function useFormValues<V extends object>(initial: () => V) {
  const [values, setValues] = useState(initial);
  const set = <K extends keyof V>(name: K, value: V[K]) => setValues((v) => ({ ...v, [name]: value }));
  const text = <K extends StringKeys<V>>(name: K) => ({
    value: values[name] as string,
    onChange: (e: { currentTarget: { value: string } }) => set(name, e.currentTarget.value as V[K]),
  });
  return { values, set, text };
}
