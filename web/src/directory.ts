/**
 * Finding a person to talk to or invite: by their exact email only. The directory never lists
 * people or returns emails (it is built against scraping), so the user must know the address.
 */
import { api, type Schemas } from "./api";
import { problemText } from "./problems";

export type Person = Schemas["UserSummary"];

/** The person with this email, or why not in words. */
export async function personByEmail(email: string): Promise<{ person: Person } | { problem: string }> {
  try {
    const { data, error } = await api.GET("/api/v1/users", { params: { query: { email: email.trim() } } });
    if (!data) return { problem: problemText(error) };
    const person = data.items[0];
    return person ? { person } : { problem: `Nobody on Lobby has the email ${email.trim()}.` };
  } catch (e) {
    return { problem: problemText(e) };
  }
}
