"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/Button";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { TextField } from "@/components/ui/Field";
import { safeNext } from "./safe-next";

async function messageOf(res: Response, fallback: string): Promise<string> {
  try {
    const body = (await res.json()) as { message?: unknown };
    if (typeof body?.message === "string" && body.message) return body.message;
  } catch {}
  return fallback;
}

export function LoginForm({ next }: { next?: string }) {
  const emailId = useId();
  const passwordId = useId();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const res = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      if (res.ok) {
        window.location.assign(safeNext(next));
        return;
      }
      if (res.status === 401) setError("Invalid email or password");
      else if (res.status === 429) setError(await messageOf(res, "Too many failed sign-in attempts; try again later"));
      else if (res.status === 403) setError(await messageOf(res, "This account is disabled"));
      else setError(await messageOf(res, `Sign-in failed (HTTP ${res.status})`));
    } catch {
      setError("Cannot reach the server; check your connection and try again");
    }
    setBusy(false);
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {error && <ErrorMessage>{error}</ErrorMessage>}
      <TextField id={emailId} label="Email" type="email" autoComplete="username" autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
      <TextField id={passwordId} label="Password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <Button type="submit" variant="primary" className="w-full" busy={busy}>
        Sign in
      </Button>
    </form>
  );
}
