import { redirect } from "next/navigation";

/** Alerting opens on its rule list. */
export default function AlertingPage() {
  redirect("/alerting/rules");
}
