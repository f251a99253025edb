import { defineCatalogue } from "../i18n/catalogue.ts";

/** Live updates: who else is on a ticket, mentions, and the connection's state. */
export const liveMessages = defineCatalogue({
  en: {
    "presence.viewing": "{name} is viewing",
    "presence.typing": "{name} is typing…",
    "live.mentioned": "{name} mentioned you on #{number}",
    "live.openTicket": "Open the ticket",
    "live.offline": "Reconnecting…",
  },
  ro: {
    "presence.viewing": "{name} vizualizează",
    "presence.typing": "{name} scrie…",
    "live.mentioned": "{name} te-a menționat în #{number}",
    "live.openTicket": "Deschide tichetul",
    "live.offline": "Se reconectează…",
  },
  pl: {
    "presence.viewing": "{name} przegląda",
    "presence.typing": "{name} pisze…",
    "live.mentioned": "{name} wspomniał(a) o Tobie w #{number}",
    "live.openTicket": "Otwórz zgłoszenie",
    "live.offline": "Ponowne łączenie…",
  },
  bg: {
    "presence.viewing": "{name} разглежда",
    "presence.typing": "{name} пише…",
    "live.mentioned": "{name} ви спомена в #{number}",
    "live.openTicket": "Отвори тикета",
    "live.offline": "Повторно свързване…",
  },
  fa: {
    "presence.viewing": "{name} در حال مشاهده است",
    "presence.typing": "{name} در حال نوشتن است…",
    "live.mentioned": "{name} در #{number} از شما نام برد",
    "live.openTicket": "باز کردن تیکت",
    "live.offline": "در حال اتصال دوباره…",
  },
});
