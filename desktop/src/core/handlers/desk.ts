import { defineHandlers } from './types.js';

export const deskHandlers = defineHandlers({
  'desk/info': {
    access: 'public',
    run: (ctx) => ({ ...ctx.desk, today: ctx.today() }),
  },
});
