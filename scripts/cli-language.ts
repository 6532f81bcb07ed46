// The language of the command line's output and problems (core/i18n): `--lang en` (or
// `--lang=zh-CN`) on any command, else the locale environment as POSIX orders it — LC_ALL, then
// LC_MESSAGES, then LANG (`en_US.UTF-8` reads as English, `zh_CN.UTF-8` as Chinese; `C`, `POSIX`
// and languages the catalogue does not have say nothing) — else DEFAULT_LOCALE, else Chinese.
// The option is taken out of the arguments here, so every command accepts it without listing it.
import { LOCALES, message, render, setProcessLocale, supportedLocale, type Locale, type MessageKey, type MessageParams } from "../src/core/i18n/i18n";

export function commandLineLocale(args: string[], env: NodeJS.ProcessEnv = process.env): Locale {
  const at = args.findIndex((arg) => arg === "--lang" || arg.startsWith("--lang="));
  if (at !== -1) {
    const [given] = args[at].includes("=") ? [args[at].slice("--lang=".length)] : [args[at + 1]];
    args.splice(at, args[at].includes("=") ? 1 : 2);
    const locale = supportedLocale(given);
    if (!locale) {
      // Which language to say it in is what is wrong: the locale environment's, else the default's.
      console.error(render(commandLineLocale([], env), message("cli.lang.invalid", { values: LOCALES.join(", "), given: given ?? "" })));
      process.exit(2);
    }
    return locale;
  }
  for (const name of ["LC_ALL", "LC_MESSAGES", "LANG"] as const) {
    const value = env[name]?.trim();
    if (!value) continue;
    // POSIX: the first one set decides; C and POSIX (and languages we do not have) leave the choice to the default.
    return supportedLocale(value.split(".")[0]) ?? defaultLocale(env);
  }
  return defaultLocale(env);
}

function defaultLocale(env: NodeJS.ProcessEnv): Locale {
  return LOCALES.find((locale) => locale.toLowerCase() === env.DEFAULT_LOCALE?.trim().toLowerCase()) ?? "zh-CN";
}

/** This command's language, read once from its arguments (process.argv loses the --lang option). */
export const cliLocale: Locale = commandLineLocale(process.argv);
// What the command's own errors say (configuration, the embedded database, the backup tools) is in it too.
setProcessLocale(cliLocale);

/** A catalogue message in the command's language. */
export function say(key: MessageKey, params?: MessageParams): string {
  return render(cliLocale, message(key, params));
}
