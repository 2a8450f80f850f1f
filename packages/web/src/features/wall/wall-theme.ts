/** The wall's dark palette, made for a dim room and read from a distance. */
export const WALL = {
  bg: '#030a18',
  panel: 'rgba(9, 30, 64, 0.62)',
  border: 'rgba(64, 158, 255, 0.30)',
  text: '#dbe7ff',
  muted: '#8093b6',
  grid: 'rgba(128, 147, 182, 0.16)',
  accent: '#38d6ff',
  gold: '#ffc53d',
  green: '#52d98c',
  red: '#ff5a5f',
  series: ['#38d6ff', '#ffc53d', '#8c7bff', '#52d98c', '#ff8a5b', '#ff5a8c', '#5b8cff', '#b5e853'],
  mapRange: ['#0c2748', '#14508c', '#1e88c8', '#38d6ff', '#ffc53d', '#ff5a5f'],
} as const;

/** Sizes are designed on a 1920×1080 canvas and multiplied by the screen's scale (2 on a 3840×2160 wall). */
export const DESIGN = { width: 1920, height: 1080 } as const;
