import type { NotificationTemplate } from '@gymstack/shared';

// The WhatsApp templates (the seed's, plus the reminders issue 6 adds), as approved with Meta: a
// template message names the template and passes its variables in order as the body's parameters.
// `text` is the body as approved, kept to render what a simulated send would have said.

interface Template {
  variables: readonly string[];
  text: string;
}

const definitions = {
  welcome_member: { variables: ['gym_name', 'link'], text: 'Welcome to {gym_name}! Download your member app: {link}' },
  renewal_reminder_7d: { variables: ['name', 'plan', 'date', 'pay_link'], text: 'Hi {name}, your {plan} membership expires on {date}. Renew now: {pay_link}' },
  renewal_reminder_3d: { variables: ['plan', 'amount', 'pay_link'], text: 'Reminder: {plan} membership expiring in 3 days. Pay Rs {amount}: {pay_link}' },
  renewal_reminder_1d: { variables: ['name', 'plan', 'pay_link'], text: 'Hi {name}, your {plan} membership expires tomorrow. Renew now: {pay_link}' },
  renewal_reminder_0d: { variables: ['name', 'plan', 'pay_link'], text: 'Hi {name}, today is the last day of your {plan} membership. Renew now: {pay_link}' },
  expiry_notice: { variables: ['gym_name', 'pay_link'], text: 'Your membership at {gym_name} has expired. Renew to continue your fitness journey: {pay_link}' },
  expired_7d: { variables: ['name', 'gym_name', 'pay_link'], text: 'Hi {name}, we miss you at {gym_name}! Your membership ended a week ago. Renew: {pay_link}' },
  payment_receipt: { variables: ['amount', 'plan', 'date', 'link'], text: 'Payment of Rs {amount} received for {plan}. Valid until {date}. Invoice: {link}' },
  payment_link: { variables: ['name', 'plan', 'amount', 'pay_link'], text: 'Hi {name}, pay Rs {amount} for your {plan} membership here: {pay_link}' },
  birthday_wish: { variables: ['name', 'gym_name'], text: 'Happy Birthday {name}! Wishing you a fit and fantastic year ahead. - {gym_name}' },
} as const satisfies Record<NotificationTemplate, Template>;

export type TemplateName = NotificationTemplate;
export const templates: Record<TemplateName, Template> = definitions;

/** A template's variables by name, as stored with each notification. */
export type TemplateData = Record<string, string>;

/** The body parameters in the template's order; a missing variable is a bug in the caller, so it throws. */
export function parametersOf(template: TemplateName, data: TemplateData): string[] {
  return templates[template].variables.map((variable) => {
    const value = data[variable];
    if (value === undefined || value === '') throw new Error(`Template ${template} needs {${variable}}`);
    return value;
  });
}

/** The message as the member would read it. */
export function renderText(template: TemplateName, data: TemplateData): string {
  return templates[template].text.replace(/\{(\w+)\}/g, (_, variable: string) => data[variable] ?? `{${variable}}`);
}
