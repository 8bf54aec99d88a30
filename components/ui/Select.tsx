import { forwardRef, type SelectHTMLAttributes } from "react";
import { cn } from "./cn";
import { fieldClass, fieldWidth } from "./Input";

export type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & { invalid?: boolean };

export const Select = forwardRef<HTMLSelectElement, SelectProps>(function Select({ className, invalid, ...rest }, ref) {
  return (
    <select
      ref={ref}
      aria-invalid={invalid || undefined}
      className={cn(fieldClass, fieldWidth(className), "h-8 pr-7", invalid ? "border-red-500" : "border-slate-300 dark:border-slate-700", className)}
      {...rest}
    />
  );
});
