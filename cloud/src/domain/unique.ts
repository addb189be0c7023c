import type { AppError } from '@gymstack/shared';

/**
 * Awaits a write, turning a unique-index violation into the error its index means (a duplicate phone,
 * a login already taken). The index decides, so two concurrent writes cannot both slip past a check.
 */
export async function unique<T>(write: Promise<T>, conflicts: Record<string, () => AppError>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    const conflict = code === '23505' && constraint !== undefined ? conflicts[constraint] : undefined;
    throw conflict ? conflict() : error;
  }
}
