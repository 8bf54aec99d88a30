"use client";

import { useId, type ReactNode } from "react";
import { Checkbox } from "@/components/ui/Checkbox";
import { SelectField, TextareaField, TextField } from "@/components/ui/Field";
import { ADD_VALUE_TYPES, DROP_OPS, type DraftOf, type StepDraft } from "./pipeline-draft";

type Props<T extends StepDraft["type"]> = {
  draft: DraftOf<T>;
  onChange: (next: DraftOf<T>) => void;
  /** Server messages by step property (`patterns`, `field`, …). */
  errors: Record<string, string>;
};

/** The small form of one pipeline step; which fields depends on the step type (see server/logs/pipeline/steps.ts). */
export function StepFields({ draft, onChange, errors }: { draft: StepDraft; onChange: (next: StepDraft) => void; errors: Record<string, string> }) {
  const p = { errors, onChange };
  switch (draft.type) {
    case "json":
      return <JsonFields draft={draft} {...p} />;
    case "logfmt":
      return <LogfmtFields draft={draft} {...p} />;
    case "grok":
      return <GrokFields draft={draft} {...p} />;
    case "date":
      return <DateFields draft={draft} {...p} />;
    case "level":
      return <LevelFields draft={draft} {...p} />;
    case "rename":
      return <RenameFields draft={draft} {...p} />;
    case "remove":
      return <RemoveFields draft={draft} {...p} />;
    case "add":
      return <AddFields draft={draft} {...p} />;
    case "mask":
      return <MaskFields draft={draft} {...p} />;
    case "hash":
      return <HashFields draft={draft} {...p} />;
    case "drop":
      return <DropFields draft={draft} {...p} />;
    case "sample":
      return <SampleFields draft={draft} {...p} />;
    case "raw":
      return <RawFields draft={draft} {...p} />;
  }
}

function Grid({ children }: { children: ReactNode }) {
  return <div className="grid gap-3 sm:grid-cols-2">{children}</div>;
}

const Wide = ({ children }: { children: ReactNode }) => <div className="sm:col-span-2">{children}</div>;

/** A text input bound to one string property of the draft. */
function Text<T extends StepDraft["type"], K extends keyof DraftOf<T> & string>({
  draft,
  onChange,
  errors,
  name,
  label,
  hint,
  placeholder,
  mono = true,
  type,
}: Props<T> & { name: K; label: string; hint?: ReactNode; placeholder?: string; mono?: boolean; type?: string }) {
  const id = useId();
  return (
    <TextField
      id={id}
      label={label}
      hint={hint}
      error={errors[name]}
      placeholder={placeholder}
      type={type}
      className={mono ? "font-mono text-xs" : undefined}
      value={draft[name] as string}
      onChange={(e) => onChange({ ...draft, [name]: e.target.value })}
    />
  );
}

function Lines<T extends StepDraft["type"], K extends keyof DraftOf<T> & string>({
  draft,
  onChange,
  errors,
  name,
  label,
  hint,
  placeholder,
  rows = 3,
}: Props<T> & { name: K; label: string; hint?: ReactNode; placeholder?: string; rows?: number }) {
  const id = useId();
  return (
    <TextareaField
      id={id}
      label={label}
      hint={hint}
      error={errors[name]}
      placeholder={placeholder}
      rows={rows}
      spellCheck={false}
      value={draft[name] as string}
      onChange={(e) => onChange({ ...draft, [name]: e.target.value })}
    />
  );
}

function Flag<T extends StepDraft["type"], K extends keyof DraftOf<T> & string>({
  draft,
  onChange,
  errors,
  name,
  label,
  description,
}: Props<T> & { name: K; label: string; description?: ReactNode }) {
  return (
    <div>
      <Checkbox label={label} description={description} checked={draft[name] as boolean} onChange={(e) => onChange({ ...draft, [name]: e.target.checked })} />
      {errors[name] && <p className="mt-1 text-xs text-red-600 dark:text-red-400">{errors[name]}</p>}
    </div>
  );
}

const FIELD_HINT = "A field path: names separated by dots, e.g. http.status.";

function JsonFields(p: Props<"json">) {
  return (
    <Grid>
      <Text {...p} name="field" label="Field" hint="Holds the JSON text; default message." placeholder="message" />
      <Text {...p} name="target" label="Target" hint="Optional: put the parsed object here instead of merging its keys." />
      <Wide>
        <Flag {...p} name="required" label="Required" description="Invalid JSON → dead letter. Unchecked: tag _jsonparsefailure and keep the event." />
      </Wide>
    </Grid>
  );
}

function LogfmtFields(p: Props<"logfmt">) {
  return (
    <Grid>
      <Text {...p} name="field" label="Field" hint="Holds the key=value text; default message." placeholder="message" />
      <Text {...p} name="target" label="Target" hint="Optional: put the pairs here instead of merging them." />
    </Grid>
  );
}

function GrokFields(p: Props<"grok">) {
  const id = useId();
  return (
    <Grid>
      <Text {...p} name="field" label="Field" hint="The text to parse; default message." placeholder="message" />
      <SelectField
        id={id}
        label="Pattern set"
        error={p.errors.ecsCompatibility}
        value={p.draft.ecsCompatibility}
        onChange={(e) => p.onChange({ ...p.draft, ecsCompatibility: e.target.value === "disabled" ? "disabled" : "v1" })}
      >
        <option value="v1">ECS field names (default)</option>
        <option value="disabled">Legacy field names</option>
      </SelectField>
      <Wide>
        <Lines {...p} name="patterns" label="Patterns" hint="One per line; the first that matches wins." placeholder="%{COMBINEDAPACHELOG}" />
      </Wide>
      <Wide>
        <Lines
          {...p}
          name="customPatterns"
          label="Custom patterns"
          rows={2}
          hint={
            <>
              Optional: <code className="font-mono">NAME regex</code> per line; they override built-ins of the same name.
            </>
          }
          placeholder="ORDER_ID [A-Z]{3}-\d+"
        />
      </Wide>
      <Wide>
        <Flag {...p} name="required" label="Required" description="No pattern matches → dead letter. Unchecked: tag _grokparsefailure and keep the event." />
      </Wide>
    </Grid>
  );
}

function DateFields(p: Props<"date">) {
  return (
    <Grid>
      <Text {...p} name="field" label="Field" hint="Holds the time; default timestamp." placeholder="timestamp" />
      <Text {...p} name="timezone" label="Time zone" hint="Optional IANA zone for times without an offset (default UTC)." placeholder="UTC" />
      <Wide>
        <Lines
          {...p}
          name="formats"
          label="Formats"
          rows={2}
          hint={
            <>
              One per line, the first that parses wins: <code className="font-mono">ISO8601</code>, <code className="font-mono">UNIX</code>,{" "}
              <code className="font-mono">UNIX_MS</code>, <code className="font-mono">TAI64N</code> or a Joda pattern such as{" "}
              <code className="font-mono">dd/MMM/yyyy:HH:mm:ss Z</code>.
            </>
          }
          placeholder="ISO8601"
        />
      </Wide>
      <Flag {...p} name="required" label="Required" description="Missing or unparseable → dead letter. Unchecked: tag _dateparsefailure." />
      <Flag {...p} name="removeField" label="Remove field" description="Delete the field once parsed (its value is the event time now)." />
    </Grid>
  );
}

function LevelFields(p: Props<"level">) {
  return (
    <Grid>
      <Text {...p} name="field" label="Field" hint="Holds the level name or number; default level." placeholder="level" />
      <Lines
        {...p}
        name="mapping"
        label="Mapping"
        rows={2}
        hint="Optional NAME=level per line, tried first (trace, debug, info, warn, error, fatal)."
        placeholder={"I=info\nE=error"}
      />
    </Grid>
  );
}

function RenameFields(p: Props<"rename">) {
  return (
    <Grid>
      <Text {...p} name="from" label="From" hint={FIELD_HINT} placeholder="app" />
      <Text {...p} name="to" label="To" placeholder="service" />
    </Grid>
  );
}

function RemoveFields(p: Props<"remove">) {
  return <Lines {...p} name="fields" label="Fields" hint="One field path per line." placeholder={"password\nhttp.request.headers.cookie"} />;
}

function AddFields(p: Props<"add">) {
  const typeId = useId();
  const valueId = useId();
  return (
    <Grid>
      <Text {...p} name="field" label="Field" hint={FIELD_HINT} placeholder="env" />
      <SelectField
        id={typeId}
        label="Value type"
        value={p.draft.valueType}
        onChange={(e) => {
          const valueType = ADD_VALUE_TYPES.find((t) => t === e.target.value) ?? "string";
          p.onChange({ ...p.draft, valueType, value: valueType === "boolean" && !["true", "false"].includes(p.draft.value) ? "true" : p.draft.value });
        }}
      >
        <option value="string">Text</option>
        <option value="number">Number</option>
        <option value="boolean">Boolean</option>
      </SelectField>
      <Wide>
        {p.draft.valueType === "boolean" ? (
          <SelectField id={valueId} label="Value" error={p.errors.value} value={p.draft.value} onChange={(e) => p.onChange({ ...p.draft, value: e.target.value })}>
            <option value="true">true</option>
            <option value="false">false</option>
          </SelectField>
        ) : (
          <Text
            {...p}
            name="value"
            label="Value"
            hint={
              p.draft.valueType === "string" ? (
                <>
                  Text may refer to fields: <code className="font-mono">%{"{kubernetes.labels.app}"}</code>.
                </>
              ) : undefined
            }
          />
        )}
      </Wide>
      <Wide>
        <Flag {...p} name="overwrite" label="Overwrite" description="Replace an existing value. Unchecked: keep it." />
      </Wide>
    </Grid>
  );
}

function MaskFields(p: Props<"mask">) {
  return (
    <Grid>
      <Text {...p} name="field" label="Field" hint="Default message." placeholder="message" />
      <Text {...p} name="flags" label="Flags" hint="Optional: any of i, m, s, u." placeholder="i" />
      <Wide>
        <Text {...p} name="regex" label="Regex" hint="JavaScript regular expression; every match is replaced." placeholder="\b\d{4}(?:[ -]?\d{4}){3}\b" />
      </Wide>
      <Wide>
        <Text {...p} name="replacement" label="Replacement" hint="$1…$9, $<name> and $& refer to the match." placeholder="****" />
      </Wide>
    </Grid>
  );
}

function HashFields(p: Props<"hash">) {
  return (
    <Grid>
      <Text {...p} name="field" label="Field" hint={FIELD_HINT} placeholder="user.email" />
      <Text {...p} name="target" label="Target" hint="Optional: where the SHA-256 goes (default: replaces the value)." />
    </Grid>
  );
}

function DropFields(p: Props<"drop">) {
  const opId = useId();
  const { op } = p.draft;
  return (
    <Grid>
      <Text {...p} name="field" label="Field" hint={FIELD_HINT} placeholder="url.original" />
      <SelectField
        id={opId}
        label="Condition"
        error={p.errors.op}
        value={op}
        onChange={(e) => p.onChange({ ...p.draft, op: DROP_OPS.find((o) => o === e.target.value) ?? "equals" })}
      >
        {DROP_OPS.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </SelectField>
      {op !== "exists" && <Text {...p} name="value" label="Value" hint={op === "matches" ? "A JavaScript regular expression." : undefined} placeholder={op === "matches" ? "^/health" : "/health"} />}
      {op === "matches" && <Text {...p} name="flags" label="Flags" hint="Optional: any of i, m, s, u." />}
      <Wide>
        <Flag {...p} name="not" label="Not" description="Drop when the condition does NOT hold." />
      </Wide>
    </Grid>
  );
}

function SampleFields(p: Props<"sample">) {
  return (
    <div className="sm:w-1/2">
      <Text {...p} name="percent" label="Percent kept" type="number" mono={false} hint="0–100; decided by a hash of the message, so replays keep the same events." />
    </div>
  );
}

function RawFields(p: Props<"raw">) {
  return <Lines {...p} name="json" label="Step (JSON)" rows={5} hint="This step type has no form here; edit its JSON." />;
}
