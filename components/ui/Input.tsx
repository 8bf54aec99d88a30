import { forwardRef, type InputHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { cn } from "./cn";

export const fieldClass =
  "block rounded border bg-white px-2 text-sm text-slate-900 placeholder:text-slate-400 " +
  "focus:outline-none focus:ring-2 focus:ring-blue-500/40 focus:border-blue-500 disabled:opacity-60 " +
  "dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-500 dark:[color-scheme:dark]";

/** Full width unless the caller sets a width (`w-24`, `flex-1`): both in one class list would leave the winner to CSS order. */
export const fieldWidth = (className?: string): string => (className && /(^|\s)(w-|flex-1|grow)/.test(className) ? "" : "w-full");

const border = (invalid?: boolean) => (invalid ? "border-red-500 dark:border-red-500" : "border-slate-300 dark:border-slate-700");

export type InputProps = InputHTMLAttributes<HTMLInputElement> & { invalid?: boolean };

export const Input = forwardRef<HTMLInputElement, InputProps>(function Input({ className, invalid, ...rest }, ref) {
  return <input ref={ref} aria-invalid={invalid || undefined} className={cn(fieldClass, fieldWidth(className), "h-8", border(invalid), className)} {...rest} />;
});

export type TextareaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & { invalid?: boolean };

export const Textarea = forwardRef<HTMLTextAreaElement, TextareaProps>(function Textarea({ className, invalid, ...rest }, ref) {
  return <textarea ref={ref} aria-invalid={invalid || undefined} className={cn(fieldClass, fieldWidth(className), "py-1.5 font-mono text-xs", border(invalid), className)} {...rest} />;
});
