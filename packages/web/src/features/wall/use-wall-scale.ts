import { useEffect, useState } from 'react';
import { DESIGN } from './wall-theme';

const measure = () =>
  typeof window === 'undefined'
    ? 1
    : Math.max(0.4, Math.min(window.innerWidth / DESIGN.width, window.innerHeight / DESIGN.height));

/**
 * How much larger than the 1920×1080 design the screen is (2 on a 3840×2160 wall). Sizes are multiplied
 * by it rather than the page being zoomed, so text and charts render sharp at the wall's own resolution.
 */
export function useWallScale(): number {
  const [scale, setScale] = useState(measure);
  useEffect(() => {
    const onResize = () => setScale(measure());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return scale;
}
