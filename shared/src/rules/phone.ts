import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * A phone number as E.164 (`+919876543210`), or null when it is not a valid number.
 * National numbers are read in `defaultCountry`. The full ("max") metadata checks each country's
 * real number ranges, so a wrong-length or unassigned number is rejected, not just a non-numeric one.
 */
export function normalizePhone(input: string, defaultCountry = 'IN'): string | null {
  if (!isSupportedCountry(defaultCountry)) throw new RangeError(`Unsupported country ${JSON.stringify(defaultCountry)}`);
  const phone = parsePhoneNumberFromString(input, defaultCountry);
  return phone?.isValid() ? phone.number : null;
}
