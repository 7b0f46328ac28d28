/// Name, city and text pools for the random part of the data set.
enum NamePools {
    /// (first name, last name, Tunisian?, ASCII first name override)
    static let featured: [(String, String, Bool, String?)] = [
        ("Élodie", "Lefèvre", false, nil),
        ("François", "Moreau", false, nil),
        ("Zoé", "Girard", false, nil),
        ("Chaïma", "Trabelsi", true, nil),
        ("Hédi", "Jaziri", true, nil),
        ("Nour El Houda", "Mansouri", true, nil),
        ("Mohamed Ali", "Gharbi", true, nil),
        ("Anaïs", "Müller", false, nil),
        ("Inès", "Haddad", true, nil),
        ("أمل", "Chebbi", true, "amel"),
    ]

    static let frenchFirst = ["Camille", "Léa", "Raphaël", "Gaëlle", "Jérôme", "Hélène", "Loïc", "Céline",
                              "Noël", "Maëlys", "Thierry", "Bérénice", "Stéphane", "Agnès", "Benoît", "Clémence"]
    static let frenchLast = ["Dupont", "Fontaine", "Bénard", "Rousseau", "Lemaître", "Chevalier", "Garnier",
                             "Faure", "Brûlé", "Duchêne", "Mercier", "Lefèvre", "Moreau", "Girard", "Côté"]
    static let tunisianFirst = ["Skander", "Rym", "Oussama", "Yasmine", "Wassim", "Sonia", "Aymen", "Mariem",
                                "Karim", "Fatma", "Slim", "Chaïma", "Hédi", "Inès", "Emna", "Mehdi"]
    static let tunisianLast = ["Ben Salah", "Ben Youssef", "Bouazizi", "Chaabane", "Hammami", "Jebali",
                               "Khelifi", "Zouari", "Ayari", "Ben Romdhane", "Trabelsi", "Mansouri", "Gharbi"]

    static let frenchCities = ["Paris", "Lyon", "Marseille", "Lille", "Nantes", "Bordeaux", "Toulouse",
                               "Montreuil", "Saint-Étienne", "Aix-en-Provence"]
    static let tunisianCities = ["Tunis", "Sfax", "Sousse", "Bizerte", "Nabeul", "La Marsa", "Ariana",
                                 "Gabès", "Monastir"]

    static let reasons = ["Réclamation facture", "Changement d'adresse", "Question sur le contrat", "Résiliation",
                          "Demande de rappel", "Problème de connexion", "Mise à jour du RIB", "Demande d'information"]
    static let orders = ["Ordre d'achat — 20 actions Atlas Énergie", "Ordre d'achat — obligations Atlas 2030",
                         "Ordre d'achat — 15 parts FCP Carthage Croissance"]
    static let notes: [String?] = [
        "Client mécontent du délai de traitement.", "Rappel prévu sous 48 h.",
        "Dossier transmis au service facturation.", "Demande résolue pendant l'appel.",
        "Souhaite être contacté par e-mail uniquement.", "Mentionne un déménagement prochain.",
        "A épelé son nom, fiche corrigée.", nil, nil,
    ]

    /// Lower-case ASCII folding for e-mail local parts ("Nour El Houda" → "nourelhouda").
    static func ascii(_ name: String) -> String {
        let map: [Character: String] = [
            "à": "a", "â": "a", "ä": "a", "ç": "c", "é": "e", "è": "e", "ê": "e", "ë": "e",
            "î": "i", "ï": "i", "ô": "o", "ö": "o", "ù": "u", "û": "u", "ü": "u",
        ]
        return name.lowercased().map { char -> String in
            if let folded = map[char] { return folded }
            return char.isASCII && char.isLetter ? String(char) : ""
        }.joined()
    }
}
