/** Light, dark, or the system's: `data-theme` on <html> (admin.css has both palettes), kept in localStorage. */
export type Theme = 'auto' | 'light' | 'dark';
const KEY = 'telepets-admin-theme';

export function currentTheme(): Theme {
  try {
    const stored = localStorage.getItem(KEY);
    if (stored === 'light' || stored === 'dark') return stored;
  } catch {
    // Private mode.
  }
  return 'auto';
}

export function nextTheme(theme: Theme): Theme {
  return theme === 'auto' ? 'dark' : theme === 'dark' ? 'light' : 'auto';
}

export function applyTheme(theme = currentTheme()): void {
  const dark = theme === 'dark' || (theme === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

export function setTheme(theme: Theme): void {
  try {
    if (theme === 'auto') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, theme);
  } catch {
    // Private mode: for this page only.
  }
  applyTheme(theme);
}

/** Follows the system while the choice is 'auto'. */
export function watchSystemTheme(): void {
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (currentTheme() === 'auto') applyTheme('auto');
  });
}
