import { defineCatalogue } from "../i18n/catalogue.ts";

/** The admin entry's strings (its link, and the refusal for those who may not administer): loaded at start. */
export const adminEntryMessages = defineCatalogue({
  en: {
    "admin.nav": "Admin",
    "admin.title": "Administration",
    "admin.notAllowed":
      "The admin section is for owners and admins. If something here needs changing, ask one of them.",
  },
  ro: {
    "admin.nav": "Administrare",
    "admin.title": "Administrare",
    "admin.notAllowed":
      "Secțiunea de administrare este pentru proprietari și administratori. Dacă trebuie schimbat ceva aici, adresați-vă unuia dintre ei.",
  },
  pl: {
    "admin.nav": "Administracja",
    "admin.title": "Administracja",
    "admin.notAllowed":
      "Sekcja administracji jest dla właścicieli i administratorów. Jeśli coś tutaj wymaga zmiany, poproś jednego z nich.",
  },
  bg: {
    "admin.nav": "Администрация",
    "admin.title": "Администрация",
    "admin.notAllowed":
      "Разделът за администриране е за собственици и администратори. Ако тук трябва да се промени нещо, обърнете се към някого от тях.",
  },
  fa: {
    "admin.nav": "مدیریت",
    "admin.title": "مدیریت",
    "admin.notAllowed":
      "بخش مدیریت برای مالکان و مدیران است. اگر چیزی در اینجا باید تغییر کند، از یکی از آنها بخواهید.",
  },
});
