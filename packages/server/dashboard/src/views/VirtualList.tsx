import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

interface Props {
  ids: readonly string[];
  rowHeight: number;
  label: string;
  renderRow: (id: string) => ComponentChildren;
}

const OVERSCAN = 8;

/**
 * Only the rows in view (plus a few) are in the DOM, positioned in a spacer as tall as every row:
 * 10,000 nodes cost as much to show as 30. Fixed row height keeps it a division, not a measurement.
 */
export function VirtualList({ ids, rowHeight, label, renderRow }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    setHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const end = Math.min(ids.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const visible = ids.slice(start, end);
  return (
    <div
      class="vlist"
      ref={box}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      role="list"
      aria-label={label}
      tabIndex={-1}
    >
      <div class="vlist-spacer" style={{ height: `${ids.length * rowHeight}px` }}>
        {visible.map((id, i) => (
          <div
            key={id}
            class="vrow"
            role="listitem"
            aria-setsize={ids.length}
            aria-posinset={start + i + 1}
            style={{ transform: `translateY(${(start + i) * rowHeight}px)`, height: `${rowHeight}px` }}
          >
            {renderRow(id)}
          </div>
        ))}
      </div>
    </div>
  );
}
