import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TrpcQueryProvider } from "@/components/providers/trpc";
import "./globals.css";

export const metadata: Metadata = { title: { default: "Lookout", template: "%s · Lookout" }, description: "Logs, metrics, dashboards and alerting" };

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
