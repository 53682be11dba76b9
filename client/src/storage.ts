/**
 * localStorage that never throws: private modes and embedded webviews may refuse storage, and
 * nothing the app keeps there is more than a convenience.
 */
export function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage disabled: the value just is not remembered.
  }
}
