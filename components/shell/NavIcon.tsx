import type { NavIcon as Name } from "./nav";

/** Small line icons for the navigation (16×16, currentColor). */
const PATHS: Record<Name, string> = {
  home: "M2.5 7.5L8 3l5.5 4.5M4 6.5V13h3v-3h2v3h3V6.5",
  logs: "M3 4h10M3 7h10M3 10h7M3 13h5",
  metrics: "M2.5 13.5h11M3.5 11l3-4 2.5 2 3.5-5",
  dashboards: "M2.5 2.5h5v5h-5zM9.5 2.5h4v3h-4zM9.5 7.5h4v6h-4zM2.5 9.5h5v4h-5z",
  alerting: "M8 2.5a3.5 3.5 0 0 1 3.5 3.5v3l1.5 2.5H3L4.5 9V6A3.5 3.5 0 0 1 8 2.5zM6.5 13.5h3",
  users: "M6 7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM1.5 13.5c0-2.5 2-4 4.5-4s4.5 1.5 4.5 4M11 3a2.2 2.2 0 0 1 0 4.3M12.5 9.8c1.3.5 2 1.8 2 3.7",
  roles: "M8 1.8l5 2v4c0 3-2.2 5.2-5 6.4-2.8-1.2-5-3.4-5-6.4v-4zM5.8 8l1.6 1.6 3-3",
  keys: "M6 10a3.5 3.5 0 1 1 2.9-1.6L14 13.5V15h-2v-1.5h-1.5V12H9l-1.2-1.2A3.5 3.5 0 0 1 6 10zM4.8 6.8h.01",
  audit: "M4 1.8h6l3 3V14H4zM10 1.8V5h3M6 8h5M6 10.5h5M6 13h3",
  status: "M1.5 8.5h3l1.5-4 3 8 1.5-4h4",
  sources: "M2.5 3.5h11v3.5h-11zM2.5 9h11v3.5h-11zM5 5.25h.01M5 10.75h.01M8 5.25h3M8 10.75h3",
  retention: "M2.5 3.5h11v3h-11zM3.5 6.5v6.5h9V6.5M6.5 9h3",
  targets: "M8 2.5a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11zM8 5.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5zM8 8h.01",
};

export function NavIcon({ name, className = "size-4" }: { name: Name; className?: string }) {
  return (
    <svg viewBox="0 0 16 16" className={className} aria-hidden fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round">
      <path d={PATHS[name]} />
    </svg>
  );
}
