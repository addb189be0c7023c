export { api } from './client';
export { DeskApiError, errorMessage, isDeskApiError } from './errors';
