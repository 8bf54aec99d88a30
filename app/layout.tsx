import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TrpcQueryProvider } from "@/components/providers/trpc";
import "./globals.css";

const icon =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="1" y="1" width="22" height="22" rx="5" fill="#2563eb"/><path d="M4.5 14h3l2-5 3 8 2-3h5" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  );

export const metadata: Metadata = {
  title: { default: "Lookout", template: "%s · Lookout" },
  description: "Logs, metrics, dashboards and alerting",
  icons: { icon },
};

/** Applies the saved theme before first paint (no flash of the wrong theme). */
const themeScript = `try{var t=localStorage.getItem('lookout-theme');if(t==='dark'||(!t&&matchMedia('(prefers-color-scheme: dark)').matches))document.documentElement.classList.add('dark')}catch(e){}`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen font-sans antialiased">
        <TrpcQueryProvider>{children}</TrpcQueryProvider>
      </body>
    </html>
  );
}
