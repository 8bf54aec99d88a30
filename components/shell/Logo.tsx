/** The Lookout mark: a lens over a signal line. */
export function Logo({ className = "size-6" }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" className={className} aria-hidden fill="none" strokeLinecap="round" strokeLinejoin="round">
      <rect x="1" y="1" width="22" height="22" rx="5" className="fill-blue-600" />
      <path d="M4.5 14h3l2-5 3 8 2-3h5" stroke="white" strokeWidth="1.8" />
    </svg>
  );
}
