/**
 * Which passwords are acceptable: 8..1024 characters (the schema), not one of the commonest
 * passwords, and not the account's own email or username.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { ValidationFailed } from "../kernel/Errors.ts"

// The most frequent passwords of public breach corpora (8 characters or more, since shorter
// ones are refused anyway), lower-cased.
const common = new Set([
  "password",
  "password1",
  "password12",
  "password123",
  "password1234",
  "12345678",
  "123456789",
  "1234567890",
  "12345678910",
  "qwertyuiop",
  "qwerty123",
  "qwerty12",
  "1q2w3e4r",
  "1q2w3e4r5t",
  "1qaz2wsx",
  "zaq12wsx",
  "iloveyou",
  "iloveyou1",
  "sunshine",
  "princess",
  "football",
  "baseball",
  "welcome1",
  "welcome123",
  "abc12345",
  "abcd1234",
  "admin123",
  "administrator",
  "letmein1",
  "trustno1",
  "superman",
  "michael1",
  "computer",
  "internet",
  "starwars",
  "whatever",
  "11111111",
  "00000000",
  "88888888",
  "87654321",
  "qwertyui",
  "asdfghjk",
  "asdfghjkl",
  "1234qwer",
  "q1w2e3r4",
  "passw0rd",
  "p@ssw0rd",
  "p@ssword",
  "changeme",
  "changeme1",
  "secret123",
  "test1234",
  "testtest",
  "monkey12",
  "dragon12",
  "shadow12",
  "master12",
  "jennifer",
  "jordan23",
  "liverpool",
  "chelsea1",
  "arsenal1",
  "mercedes",
  "aa123456",
  "a1234567",
  "qazwsxedc",
  "zxcvbnm1",
  "123123123",
  "123321123",
  "987654321",
  "55555555",
  "66666666",
  "77777777",
  "99999999",
  "12341234",
  "11223344",
  "147258369",
  "789456123",
  "159753456",
  "azertyuiop",
  "motdepasse",
  "bonjour1",
  "soleil123",
  "password!",
  "welcome!",
  "rota1234",
  "rotarota"
])

/**
 * Refuses a common password or one equal to the account's email or username.
 *
 * @since 0.1.0
 * @category rules
 */
export const check = (
  password: string,
  account: { readonly email?: string | undefined; readonly username?: string | undefined }
): Effect.Effect<void, ValidationFailed> => {
  const lowered = password.toLowerCase()
  const reason = common.has(lowered)
    ? "This password is too common"
    : lowered === account.email?.toLowerCase() || lowered === account.username?.toLowerCase()
      ? "The password must differ from the email and username"
      : undefined
  return reason === undefined
    ? Effect.void
    : Effect.fail(new ValidationFailed({ errors: [{ path: ["body", "password"], message: reason }] }))
}
