/** The quiet "No data" of an empty result, centred in the panel body. */
export function NoDataText({ text = "No data" }: { text?: string }) {
  return (
    <div className="flex h-full w-full items-center justify-center text-sm text-slate-400 dark:text-slate-500" data-testid="panel-no-data">
      {text}
    </div>
  );
}
