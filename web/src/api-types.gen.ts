// Generated from the API's OpenAPI document by `npm run generate:api-types` (scripts/generate-api-types.ts).
// Do not edit: change the route schemas and run the command again.

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 200 when the database answers, 503 when it does not */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                            database: string;
                            /** @description True while the database holds generated demo participants (DEMO_PARTICIPANTS) */
                            demo_data: boolean;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All participants keyed by id; filter by check-in, search with q, page through with page */
        get: {
            parameters: {
                query?: {
                    checked_in?: boolean;
                    page?: number;
                    /** @description Search: case-insensitive part of the name or e-mail, or an exact id */
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Participants keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                company: string;
                                email: string;
                                phone: string;
                                checked_in: boolean;
                                bbt_tokens: number;
                                /** @description Unix seconds of the last token exchange; 0 when never exchanged */
                                bbt_tokens_last_exchange_time: number;
                                skills: {
                                    skill: string;
                                    rating: number;
                                }[];
                                /** @description Short lower-case tags such as hacker, mentor, meal-group-a */
                                tags: string[];
                                /** @description Free text; empty when none */
                                dietary_restrictions: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One participant */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Participants keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                company: string;
                                email: string;
                                phone: string;
                                checked_in: boolean;
                                bbt_tokens: number;
                                /** @description Unix seconds of the last token exchange; 0 when never exchanged */
                                bbt_tokens_last_exchange_time: number;
                                skills: {
                                    skill: string;
                                    rating: number;
                                }[];
                                /** @description Short lower-case tags such as hacker, mentor, meal-group-a */
                                tags: string[];
                                /** @description Free text; empty when none */
                                dietary_restrictions: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        /**
         * Partial update; listed skills are added or re-rated, others stay; tags only with an admin key
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        company?: string;
                        email?: string;
                        phone?: string;
                        skills?: {
                            skill: string;
                            rating: number;
                        }[];
                        /** @description Admin keys only; replaces the whole list (a tag given twice counts once) */
                        tags?: string[];
                        dietary_restrictions?: string;
                    };
                };
            };
            responses: {
                /** @description Participants keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                company: string;
                                email: string;
                                phone: string;
                                checked_in: boolean;
                                bbt_tokens: number;
                                /** @description Unix seconds of the last token exchange; 0 when never exchanged */
                                bbt_tokens_last_exchange_time: number;
                                skills: {
                                    skill: string;
                                    rating: number;
                                }[];
                                /** @description Short lower-case tags such as hacker, mentor, meal-group-a */
                                tags: string[];
                                /** @description Free text; empty when none */
                                dietary_restrictions: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        post?: never;
        /**
         * Delete a participant's personal data (admin, or the participant with confirm: true); refused while hardware is out on loan to them
         * @description Name becomes "Deleted participant"; e-mail, phone, company, dietary restrictions, tags and skills are removed (skill statistics follow), the badge and every key of theirs stop working, open hardware requests and Placed orders (refunded) are cancelled. Ledger, orders, scans, check-ins and loans stay for the totals. The id then answers 404 participant_not_found everywhere, this route included.
         *
         *     Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            /** @description Optional for an admin; a participant deleting themself must send {"confirm": true} */
            requestBody: {
                content: {
                    "application/json": {
                        confirm?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            /** @enum {boolean} */
                            deleted: true;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a participant (unique e-mail, any letter case); tags only with an admin key
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        company: string;
                        email: string;
                        phone: string;
                        skills?: {
                            skill: string;
                            rating: number;
                        }[];
                        /** @description Admin keys only; default ["hacker"] (a tag given twice counts once) */
                        tags?: string[];
                        dietary_restrictions?: string;
                    };
                };
            };
            responses: {
                /** @description The new participant, keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                company: string;
                                email: string;
                                phone: string;
                                checked_in: boolean;
                                bbt_tokens: number;
                                /** @description Unix seconds of the last token exchange; 0 when never exchanged */
                                bbt_tokens_last_exchange_time: number;
                                skills: {
                                    skill: string;
                                    rating: number;
                                }[];
                                /** @description Short lower-case tags such as hacker, mentor, meal-group-a */
                                tags: string[];
                                /** @description Free text; empty when none */
                                dietary_restrictions: string;
                                /** @description With OPEN_REGISTRATION=true only: the new participant key, shown once */
                                api_key?: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/skills": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Frequency and average rating of every skill, with optional filters */
        get: {
            parameters: {
                query?: {
                    min_frequency?: number;
                    max_frequency?: number;
                    min_average_rating?: number;
                    max_average_rating?: number;
                    /** @description Case-insensitive substring of the skill name */
                    keyword?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Skill statistics keyed by skill name, sorted by name */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                /** @description Participants with the skill */
                                frequency: number;
                                /** @description Mean rating, rounded to 2 decimals */
                                average_rating: number;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checkin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether a participant is checked in, and when and by whom */
        get: {
            parameters: {
                query: {
                    participant_id: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            participant_id: number;
                            checked_in: boolean;
                            /** @description Unix seconds */
                            check_in_time?: number;
                            /** @description Id of the API key that checked the participant in */
                            volunteer_id?: number;
                            /** @description Name of that API key, e.g. "Desk 3" */
                            volunteer_name?: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Check a participant in; exactly one of any number of racing requests succeeds
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Give participant_id or the scanned badge code. The volunteer is the API key making the request. A nonce (optional) marks this check-in: the same key sending it again, here or in an offline upload, is answered as the first time rather than already_checked_in. */
            requestBody: {
                content: {
                    "application/json": {
                        participant_id?: number;
                        badge?: string;
                        nonce?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            participant_id: number;
                            checked_in: boolean;
                            /** @description Unix seconds */
                            check_in_time?: number;
                            /** @description Id of the API key that checked the participant in */
                            volunteer_id?: number;
                            /** @description Name of that API key, e.g. "Desk 3" */
                            volunteer_name?: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Checkpoints keyed by id, with live counts; archived ones only with archived=true */
        get: {
            parameters: {
                query?: {
                    /** @description true lists archived checkpoints too */
                    archived?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Checkpoints keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                /** @enum {string} */
                                kind: "meal" | "workshop" | "swag" | "other";
                                /** Format: date-time */
                                opens_at: string | null;
                                /** Format: date-time */
                                closes_at: string | null;
                                per_participant_limit: number | null;
                                capacity: number | null;
                                requires_check_in: boolean;
                                allowed_tags: string[] | null;
                                archived: boolean;
                                counts: {
                                    /** @description Accepted scans, not annulled */
                                    accepted: number;
                                    /** @description Participants with at least one of them */
                                    participants: number;
                                    refused: number;
                                    /** @description Of the refused: scans let through offline that could not be counted */
                                    conflicts: number;
                                };
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a checkpoint: a meal, workshop, swag table or anything else people are scanned at
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Times are ISO 8601; a missing opens_at or closes_at leaves that side open. per_participant_limit defaults to 1 (null = unlimited), capacity to none, requires_check_in to true, allowed_tags to everyone. */
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /** @enum {string} */
                        kind: "meal" | "workshop" | "swag" | "other";
                        opens_at?: string | null;
                        closes_at?: string | null;
                        per_participant_limit?: number | null;
                        capacity?: number | null;
                        requires_check_in?: boolean;
                        allowed_tags?: string[] | null;
                    };
                };
            };
            responses: {
                /** @description Checkpoints keyed by id */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                /** @enum {string} */
                                kind: "meal" | "workshop" | "swag" | "other";
                                /** Format: date-time */
                                opens_at: string | null;
                                /** Format: date-time */
                                closes_at: string | null;
                                per_participant_limit: number | null;
                                capacity: number | null;
                                requires_check_in: boolean;
                                allowed_tags: string[] | null;
                                archived: boolean;
                                counts: {
                                    /** @description Accepted scans, not annulled */
                                    accepted: number;
                                    /** @description Participants with at least one of them */
                                    participants: number;
                                    refused: number;
                                    /** @description Of the refused: scans let through offline that could not be counted */
                                    conflicts: number;
                                };
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checkpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One checkpoint with its live counts */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Checkpoints keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                /** @enum {string} */
                                kind: "meal" | "workshop" | "swag" | "other";
                                /** Format: date-time */
                                opens_at: string | null;
                                /** Format: date-time */
                                closes_at: string | null;
                                per_participant_limit: number | null;
                                capacity: number | null;
                                requires_check_in: boolean;
                                allowed_tags: string[] | null;
                                archived: boolean;
                                counts: {
                                    /** @description Accepted scans, not annulled */
                                    accepted: number;
                                    /** @description Participants with at least one of them */
                                    participants: number;
                                    refused: number;
                                    /** @description Of the refused: scans let through offline that could not be counted */
                                    conflicts: number;
                                };
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        /**
         * Change a checkpoint; only the fields given change
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            /** @description Only the fields given change. */
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        /** @enum {string} */
                        kind?: "meal" | "workshop" | "swag" | "other";
                        opens_at?: string | null;
                        closes_at?: string | null;
                        per_participant_limit?: number | null;
                        capacity?: number | null;
                        requires_check_in?: boolean;
                        allowed_tags?: string[] | null;
                        /** @description true archives it (as DELETE does), false restores it */
                        archived?: boolean;
                    };
                };
            };
            responses: {
                /** @description Checkpoints keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                /** @enum {string} */
                                kind: "meal" | "workshop" | "swag" | "other";
                                /** Format: date-time */
                                opens_at: string | null;
                                /** Format: date-time */
                                closes_at: string | null;
                                per_participant_limit: number | null;
                                capacity: number | null;
                                requires_check_in: boolean;
                                allowed_tags: string[] | null;
                                archived: boolean;
                                counts: {
                                    /** @description Accepted scans, not annulled */
                                    accepted: number;
                                    /** @description Participants with at least one of them */
                                    participants: number;
                                    refused: number;
                                    /** @description Of the refused: scans let through offline that could not be counted */
                                    conflicts: number;
                                };
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        post?: never;
        /**
         * Archive a checkpoint: its scans stay, new scans are refused as closed
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Checkpoints keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                /** @enum {string} */
                                kind: "meal" | "workshop" | "swag" | "other";
                                /** Format: date-time */
                                opens_at: string | null;
                                /** Format: date-time */
                                closes_at: string | null;
                                per_participant_limit: number | null;
                                capacity: number | null;
                                requires_check_in: boolean;
                                allowed_tags: string[] | null;
                                archived: boolean;
                                counts: {
                                    /** @description Accepted scans, not annulled */
                                    accepted: number;
                                    /** @description Participants with at least one of them */
                                    participants: number;
                                    refused: number;
                                    /** @description Of the refused: scans let through offline that could not be counted */
                                    conflicts: number;
                                };
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checkpoints/{id}/scans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Scans here keyed by id, 100 a page, page 1 the newest; outcome=accepted (not annulled), refused or annulled */
        get: {
            parameters: {
                query?: {
                    outcome?: "accepted" | "refused" | "annulled";
                    page?: number;
                };
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Scans keyed by id, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                checkpoint_id: number;
                                participant_id: number | null;
                                participant_name: string | null;
                                outcome: "accepted" | "refused";
                                /** @enum {string|null} */
                                reason: "already_redeemed" | "limit_reached" | "not_checked_in" | "not_open_yet" | "closed" | "capacity_reached" | "not_allowed" | "unknown_badge" | "participant_not_found" | "offline_conflict" | null;
                                annulled: boolean;
                                /** Format: date-time */
                                annulled_at: string | null;
                                /** @description The API key that undid it */
                                annulled_by: number | null;
                                /** @description The API key that scanned */
                                key_id: number;
                                key_name: string | null;
                                /** Format: date-time */
                                scanned_at: string;
                                /** Format: date-time */
                                received_at: string;
                                /** @description Made by an offline scanner and uploaded later */
                                offline: boolean;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Scan a participant here: 201 accepted, 409 refused with the reason as code; every scan is recorded
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            /** @description Give badge (the scanned code) or participant_id. The nonce is the scanner's id for this scan: repeating it at this checkpoint with the same key answers the first answer again and records nothing new. scanned_at (default now) may be up to 24 hours old and 5 minutes ahead; the checkpoint's hours are judged by it. */
            requestBody: {
                content: {
                    "application/json": {
                        badge?: string;
                        participant_id?: number;
                        nonce: string;
                        scanned_at?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            scan_id: number;
                            /** @enum {string} */
                            status: "accepted";
                            participant: {
                                id: number;
                                name: string;
                                tags: string[];
                                dietary_restrictions: string;
                            };
                            /** @description This participant's accepted scans here, this one included */
                            count: number;
                            /** @description How many more they may have here; null when unlimited */
                            remaining: number | null;
                            /** @description true for a scan an offline scanner made and uploaded later */
                            offline?: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The reason in plain words */
                            error: string;
                            /** @enum {string} */
                            code: "already_redeemed" | "limit_reached" | "not_checked_in" | "not_open_yet" | "closed" | "capacity_reached" | "not_allowed" | "unknown_badge" | "participant_not_found" | "offline_conflict";
                            scan_id: number;
                            /** @enum {string} */
                            status: "refused";
                            participant?: {
                                id: number;
                                name: string;
                                tags: string[];
                                dietary_restrictions: string;
                            };
                            /** @description true for a scan an offline scanner made and uploaded later */
                            offline?: boolean;
                            /**
                             * Format: date-time
                             * @description already_redeemed, limit_reached: when the latest scan that counts was made
                             */
                            last_accepted_at?: string;
                            /** @description ... and the name of the key that made it */
                            last_accepted_by?: string | null;
                            /**
                             * @description offline_conflict: why the scan could not be counted when it was uploaded
                             * @enum {string}
                             */
                            conflict_reason?: "already_redeemed" | "limit_reached" | "not_checked_in" | "not_open_yet" | "closed" | "capacity_reached" | "not_allowed" | "unknown_badge" | "participant_not_found" | "offline_conflict";
                        } | components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The reason in plain words */
                            error: string;
                            /** @enum {string} */
                            code: "already_redeemed" | "limit_reached" | "not_checked_in" | "not_open_yet" | "closed" | "capacity_reached" | "not_allowed" | "unknown_badge" | "participant_not_found" | "offline_conflict";
                            scan_id: number;
                            /** @enum {string} */
                            status: "refused";
                            participant?: {
                                id: number;
                                name: string;
                                tags: string[];
                                dietary_restrictions: string;
                            };
                            /** @description true for a scan an offline scanner made and uploaded later */
                            offline?: boolean;
                            /**
                             * Format: date-time
                             * @description already_redeemed, limit_reached: when the latest scan that counts was made
                             */
                            last_accepted_at?: string;
                            /** @description ... and the name of the key that made it */
                            last_accepted_by?: string | null;
                            /**
                             * @description offline_conflict: why the scan could not be counted when it was uploaded
                             * @enum {string}
                             */
                            conflict_reason?: "already_redeemed" | "limit_reached" | "not_checked_in" | "not_open_yet" | "closed" | "capacity_reached" | "not_allowed" | "unknown_badge" | "participant_not_found" | "offline_conflict";
                        } | components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scans/{id}/undo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Undo an accepted scan: by the key that scanned within SCAN_UNDO_MINUTES, or by an admin
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Scans keyed by id, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                checkpoint_id: number;
                                participant_id: number | null;
                                participant_name: string | null;
                                outcome: "accepted" | "refused";
                                /** @enum {string|null} */
                                reason: "already_redeemed" | "limit_reached" | "not_checked_in" | "not_open_yet" | "closed" | "capacity_reached" | "not_allowed" | "unknown_badge" | "participant_not_found" | "offline_conflict" | null;
                                annulled: boolean;
                                /** Format: date-time */
                                annulled_at: string | null;
                                /** @description The API key that undid it */
                                annulled_by: number | null;
                                /** @description The API key that scanned */
                                key_id: number;
                                key_name: string | null;
                                /** Format: date-time */
                                scanned_at: string;
                                /** Format: date-time */
                                received_at: string;
                                /** @description Made by an offline scanner and uploaded later */
                                offline: boolean;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}/scans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A participant's scans at every checkpoint, keyed by id */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Scans keyed by id, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                checkpoint_id: number;
                                participant_id: number | null;
                                participant_name: string | null;
                                outcome: "accepted" | "refused";
                                /** @enum {string|null} */
                                reason: "already_redeemed" | "limit_reached" | "not_checked_in" | "not_open_yet" | "closed" | "capacity_reached" | "not_allowed" | "unknown_badge" | "participant_not_found" | "offline_conflict" | null;
                                annulled: boolean;
                                /** Format: date-time */
                                annulled_at: string | null;
                                /** @description The API key that undid it */
                                annulled_by: number | null;
                                /** @description The API key that scanned */
                                key_id: number;
                                key_name: string | null;
                                /** Format: date-time */
                                scanned_at: string;
                                /** Format: date-time */
                                received_at: string;
                                /** @description Made by an offline scanner and uploaded later */
                                offline: boolean;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sync/roster": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What a scanner needs to decide offline: participants' check-ins and counts, checkpoints, the badge key
         * @description No e-mail or phone. Without since: everyone. With since (the cursor of the previous answer): only participants changed since, with some overlap; merge them by id. Checkpoints always come whole.
         */
        get: {
            parameters: {
                query?: {
                    /** @description The cursor of the previous answer: only what changed since (everyone again after a reset import) */
                    since?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Send as ?since= next time for only what changed */
                            cursor: string;
                            /** @description true: every participant; false: only those changed since the cursor given */
                            full: boolean;
                            /** Format: date-time */
                            synced_at: string;
                            badge_key: {
                                /** @enum {string} */
                                algorithm: "Ed25519";
                                /** @description The raw 32-byte public key badges are signed with, base64url */
                                public_key: string;
                            };
                            /** @description Every checkpoint, archived ones too, keyed by id */
                            checkpoints: {
                                [key: string]: {
                                    name: string;
                                    /** @enum {string} */
                                    kind: "meal" | "workshop" | "swag" | "other";
                                    /** Format: date-time */
                                    opens_at: string | null;
                                    /** Format: date-time */
                                    closes_at: string | null;
                                    per_participant_limit: number | null;
                                    capacity: number | null;
                                    requires_check_in: boolean;
                                    allowed_tags: string[] | null;
                                    archived: boolean;
                                    counts: {
                                        /** @description Accepted scans, not annulled */
                                        accepted: number;
                                        /** @description Participants with at least one of them */
                                        participants: number;
                                        refused: number;
                                        /** @description Of the refused: scans let through offline that could not be counted */
                                        conflicts: number;
                                    };
                                    /** Format: date-time */
                                    created_at: string;
                                    /** Format: date-time */
                                    updated_at: string;
                                };
                            };
                            participants: {
                                id: number;
                                name: string;
                                tags: string[];
                                dietary_restrictions: string;
                                checked_in: boolean;
                                /** @description The current badge version: a signed badge of any other version is revoked (rotated away) */
                                badge_version: number;
                                /** @description Accepted scans that still count, per checkpoint id (checkpoints with none are left out) */
                                scans: {
                                    [key: string]: number;
                                };
                            }[];
                            /** @description Ids of participants deleted since the cursor (their badges no longer work): drop them. Always empty in a full roster, which leaves them out */
                            removed: number[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sync/scans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload the scans an offline scanner let through; each applies exactly once, by its nonce
         * @description One result per scan, in order. A scan the server would have accepted is accepted with offline: true; one it cannot count any more (two offline scanners let the same person into a once-only meal) is recorded as refused with code offline_conflict and conflict_reason. Uploading again changes nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        checkpoint_id?: number;
                        /** @enum {boolean} */
                        check_in?: true;
                        badge?: string;
                        participant_id?: number;
                        nonce: string;
                        scanned_at: string;
                    }[];
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description One per queued scan, in the order sent */
                            results: {
                                nonce: string;
                                /** @description accepted: counted; refused: recorded but not counted (offline_conflict, or already_checked_in at the door); unknown: a badge or id that matched nobody; error: not taken at all (code says why) */
                                status: "accepted" | "refused" | "unknown" | "error";
                                offline?: boolean;
                                checkpoint_id?: number;
                                /** @enum {boolean} */
                                check_in?: true;
                                scan_id?: number;
                                participant?: {
                                    id: number;
                                    name: string;
                                    tags: string[];
                                    dietary_restrictions: string;
                                };
                                participant_id?: number;
                                count?: number;
                                remaining?: number | null;
                                /** @enum {string} */
                                code?: "validation_failed" | "malformed_json" | "payload_too_large" | "unsupported_media_type" | "url_too_long" | "malformed_request" | "not_found" | "authentication_required" | "forbidden" | "rate_limited" | "database_unavailable" | "web_app_not_built" | "internal" | "participant_not_found" | "badge_not_found" | "key_not_found" | "order_not_found" | "checkpoint_not_found" | "scan_not_found" | "unknown_badge" | "email_taken" | "already_checked_in" | "target_required" | "participant_required" | "participant_not_allowed" | "ambiguous_partner" | "partner_required" | "self_exchange" | "cooldown" | "pair_limit" | "invalid_grant" | "negative_balance" | "not_enough_tokens" | "invalid_status" | "invalid_transition" | "order_moved" | "invalid_time" | "scan_not_accepted" | "already_annulled" | "already_redeemed" | "limit_reached" | "not_checked_in" | "not_open_yet" | "closed" | "capacity_reached" | "not_allowed" | "offline_conflict" | "invalid_cursor" | "stale_code" | "hardware_not_found" | "hardware_request_not_found" | "loan_not_found" | "item_archived" | "already_requested" | "request_moved" | "request_mismatch" | "request_closed" | "out_of_stock" | "per_participant_limit" | "quantity_below_loans" | "already_returned" | "loan_lost" | "return_exceeds_loan" | "confirmation_required" | "loans_open" | "webhook_not_found" | "delivery_not_found" | "delivery_pending" | "invalid_csv" | "unmapped_columns" | "demo_data" | "idempotency_key_reused" | "idempotency_in_progress";
                                error?: string;
                                /** @enum {string} */
                                conflict_reason?: "already_redeemed" | "limit_reached" | "not_checked_in" | "not_open_yet" | "closed" | "capacity_reached" | "not_allowed" | "unknown_badge" | "participant_not_found" | "offline_conflict";
                                /** Format: date-time */
                                last_accepted_at?: string;
                                last_accepted_by?: string | null;
                                check_in_status?: {
                                    participant_id: number;
                                    checked_in: boolean;
                                    /** @description Unix seconds */
                                    check_in_time?: number;
                                    /** @description Id of the API key that checked the participant in */
                                    volunteer_id?: number;
                                    /** @description Name of that API key, e.g. "Desk 3" */
                                    volunteer_name?: string;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hardware": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The hardware catalogue keyed by id, with what is available now; archived items only with archived=true */
        get: {
            parameters: {
                query?: {
                    /** @description true lists archived items too */
                    archived?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Hardware items keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                description: string;
                                /** @description Units the library owns */
                                quantity: number;
                                /** @description Units lent and neither back nor lost */
                                out: number;
                                /** @description quantity - out */
                                available: number;
                                /** @description Units asked for in open requests (requested or ready); not reserved */
                                requested: number;
                                per_participant_limit: number | null;
                                loan_hours: number | null;
                                requires_check_in: boolean;
                                archived: boolean;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add an item to the hardware library
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description per_participant_limit defaults to 1 (null = no limit), loan_hours to null (lent until the end; counted in whole minutes), requires_check_in to true. */
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        description?: string;
                        quantity: number;
                        per_participant_limit?: number | null;
                        loan_hours?: number | null;
                        requires_check_in?: boolean;
                    };
                };
            };
            responses: {
                /** @description Hardware items keyed by id */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                description: string;
                                /** @description Units the library owns */
                                quantity: number;
                                /** @description Units lent and neither back nor lost */
                                out: number;
                                /** @description quantity - out */
                                available: number;
                                /** @description Units asked for in open requests (requested or ready); not reserved */
                                requested: number;
                                per_participant_limit: number | null;
                                loan_hours: number | null;
                                requires_check_in: boolean;
                                archived: boolean;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hardware/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One item */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Hardware items keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                description: string;
                                /** @description Units the library owns */
                                quantity: number;
                                /** @description Units lent and neither back nor lost */
                                out: number;
                                /** @description quantity - out */
                                available: number;
                                /** @description Units asked for in open requests (requested or ready); not reserved */
                                requested: number;
                                per_participant_limit: number | null;
                                loan_hours: number | null;
                                requires_check_in: boolean;
                                archived: boolean;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        /**
         * Change an item; only the fields given change, and the quantity never drops below the units out
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            /** @description Only the fields given change; quantity may not go below the units out (409 quantity_below_loans). */
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        description?: string;
                        quantity?: number;
                        per_participant_limit?: number | null;
                        loan_hours?: number | null;
                        requires_check_in?: boolean;
                        /** @description true archives it (as DELETE does), false restores it */
                        archived?: boolean;
                    };
                };
            };
            responses: {
                /** @description Hardware items keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                description: string;
                                /** @description Units the library owns */
                                quantity: number;
                                /** @description Units lent and neither back nor lost */
                                out: number;
                                /** @description quantity - out */
                                available: number;
                                /** @description Units asked for in open requests (requested or ready); not reserved */
                                requested: number;
                                per_participant_limit: number | null;
                                loan_hours: number | null;
                                requires_check_in: boolean;
                                archived: boolean;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        post?: never;
        /**
         * Archive an item: its loans stay and can come back, its open requests are cancelled, nothing new is lent
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Hardware items keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                name: string;
                                description: string;
                                /** @description Units the library owns */
                                quantity: number;
                                /** @description Units lent and neither back nor lost */
                                out: number;
                                /** @description quantity - out */
                                available: number;
                                /** @description Units asked for in open requests (requested or ready); not reserved */
                                requested: number;
                                per_participant_limit: number | null;
                                loan_hours: number | null;
                                requires_check_in: boolean;
                                archived: boolean;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hardware/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Requests keyed by id with their place in the queue; open ones unless status says otherwise; a participant sees their own */
        get: {
            parameters: {
                query?: {
                    item_id?: number;
                    participant_id?: number;
                    /** @description open (the default) = requested or ready */
                    status?: "requested" | "ready" | "collected" | "cancelled" | "open" | "all";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Hardware requests keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                item_id: number;
                                item_name: string;
                                participant_id: number;
                                participant_name: string;
                                quantity: number;
                                /** @enum {string} */
                                status: "requested" | "ready" | "collected" | "cancelled";
                                /** @description Place in the item's queue of open requests, 1 = next; null once collected or cancelled */
                                position: number | null;
                                /** @description The loan that collected it */
                                loan_id: number | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Ask for an item: join its queue
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description A participant key asks for itself; a volunteer or admin names the participant. One open request per participant and item; a request reserves nothing, it queues. */
            requestBody: {
                content: {
                    "application/json": {
                        item_id: number;
                        quantity?: number;
                        participant_id?: number;
                    };
                };
            };
            responses: {
                /** @description Hardware requests keyed by id */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                item_id: number;
                                item_name: string;
                                participant_id: number;
                                participant_name: string;
                                quantity: number;
                                /** @enum {string} */
                                status: "requested" | "ready" | "collected" | "cancelled";
                                /** @description Place in the item's queue of open requests, 1 = next; null once collected or cancelled */
                                position: number | null;
                                /** @description The loan that collected it */
                                loan_id: number | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hardware/requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Move a request: ready, back to requested, or cancelled; `from` guards against moving it twice
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "requested" | "ready" | "collected" | "cancelled";
                        /**
                         * @description The status the caller saw the request in: when it is no longer in it, nothing changes and the answer is 409 request_moved
                         * @enum {string}
                         */
                        from?: "requested" | "ready" | "collected" | "cancelled";
                    };
                };
            };
            responses: {
                /** @description Hardware requests keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                item_id: number;
                                item_name: string;
                                participant_id: number;
                                participant_name: string;
                                quantity: number;
                                /** @enum {string} */
                                status: "requested" | "ready" | "collected" | "cancelled";
                                /** @description Place in the item's queue of open requests, 1 = next; null once collected or cancelled */
                                position: number | null;
                                /** @description The loan that collected it */
                                loan_id: number | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hardware/loans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Loans keyed by id, 100 a page, page 1 the newest; status=overdue for loans out past their due time */
        get: {
            parameters: {
                query?: {
                    status?: "out" | "returned" | "lost" | "overdue";
                    item_id?: number;
                    participant_id?: number;
                    page?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Loans keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                item_id: number;
                                item_name: string;
                                participant_id: number;
                                participant_name: string;
                                /** @description Units lent */
                                quantity: number;
                                returned: number;
                                lost: number;
                                /** @description quantity - returned - lost */
                                outstanding: number;
                                /**
                                 * @description out while units are outstanding; then lost if any unit was lost, else returned
                                 * @enum {string}
                                 */
                                status: "out" | "returned" | "lost";
                                /** @description Out and past due_at */
                                overdue: boolean;
                                /**
                                 * Format: date-time
                                 * @description null: until the end
                                 */
                                due_at: string | null;
                                /** @description The API key that lent it */
                                lent_by: number;
                                lent_by_name: string | null;
                                request_id: number | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                closed_at: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Lend an item to the participant of a badge or id; refused with 409 and a code when it cannot be
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Give badge (the scanned code) or participant_id. quantity defaults to the request's, else 1; the request becomes collected with this loan. */
            requestBody: {
                content: {
                    "application/json": {
                        item_id: number;
                        badge?: string;
                        participant_id?: number;
                        quantity?: number;
                        request_id?: number;
                    };
                };
            };
            responses: {
                /** @description Loans keyed by id */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                item_id: number;
                                item_name: string;
                                participant_id: number;
                                participant_name: string;
                                /** @description Units lent */
                                quantity: number;
                                returned: number;
                                lost: number;
                                /** @description quantity - returned - lost */
                                outstanding: number;
                                /**
                                 * @description out while units are outstanding; then lost if any unit was lost, else returned
                                 * @enum {string}
                                 */
                                status: "out" | "returned" | "lost";
                                /** @description Out and past due_at */
                                overdue: boolean;
                                /**
                                 * Format: date-time
                                 * @description null: until the end
                                 */
                                due_at: string | null;
                                /** @description The API key that lent it */
                                lent_by: number;
                                lent_by_name: string | null;
                                request_id: number | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                closed_at: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hardware/loans/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One loan with every movement of it and the key that made it */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One loan keyed by its id, with every movement */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                item_id: number;
                                item_name: string;
                                participant_id: number;
                                participant_name: string;
                                /** @description Units lent */
                                quantity: number;
                                returned: number;
                                lost: number;
                                /** @description quantity - returned - lost */
                                outstanding: number;
                                /**
                                 * @description out while units are outstanding; then lost if any unit was lost, else returned
                                 * @enum {string}
                                 */
                                status: "out" | "returned" | "lost";
                                /** @description Out and past due_at */
                                overdue: boolean;
                                /**
                                 * Format: date-time
                                 * @description null: until the end
                                 */
                                due_at: string | null;
                                /** @description The API key that lent it */
                                lent_by: number;
                                lent_by_name: string | null;
                                request_id: number | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                closed_at: string | null;
                            } & {
                                /** @description Oldest first */
                                history: {
                                    /** @enum {string} */
                                    kind: "lent" | "returned" | "lost";
                                    quantity: number;
                                    note: string | null;
                                    key_id: number;
                                    key_name: string | null;
                                    /** Format: date-time */
                                    at: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hardware/loans/{id}/return": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Take units of a loan back; all that are out unless quantity says fewer
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            /** @description quantity defaults to every unit still out */
            requestBody: {
                content: {
                    "application/json": {
                        quantity?: number;
                        note?: string;
                    };
                };
            };
            responses: {
                /** @description Loans keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                item_id: number;
                                item_name: string;
                                participant_id: number;
                                participant_name: string;
                                /** @description Units lent */
                                quantity: number;
                                returned: number;
                                lost: number;
                                /** @description quantity - returned - lost */
                                outstanding: number;
                                /**
                                 * @description out while units are outstanding; then lost if any unit was lost, else returned
                                 * @enum {string}
                                 */
                                status: "out" | "returned" | "lost";
                                /** @description Out and past due_at */
                                overdue: boolean;
                                /**
                                 * Format: date-time
                                 * @description null: until the end
                                 */
                                due_at: string | null;
                                /** @description The API key that lent it */
                                lent_by: number;
                                lent_by_name: string | null;
                                request_id: number | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                closed_at: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hardware/loans/{id}/lost": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Write units of a loan off as lost: they leave the stock
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            /** @description quantity defaults to every unit still out */
            requestBody: {
                content: {
                    "application/json": {
                        quantity?: number;
                        note?: string;
                    };
                };
            };
            responses: {
                /** @description Loans keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                item_id: number;
                                item_name: string;
                                participant_id: number;
                                participant_name: string;
                                /** @description Units lent */
                                quantity: number;
                                returned: number;
                                lost: number;
                                /** @description quantity - returned - lost */
                                outstanding: number;
                                /**
                                 * @description out while units are outstanding; then lost if any unit was lost, else returned
                                 * @enum {string}
                                 */
                                status: "out" | "returned" | "lost";
                                /** @description Out and past due_at */
                                overdue: boolean;
                                /**
                                 * Format: date-time
                                 * @description null: until the end
                                 */
                                due_at: string | null;
                                /** @description The API key that lent it */
                                lent_by: number;
                                lent_by_name: string | null;
                                request_id: number | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                closed_at: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}/loans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A participant's loans keyed by id, every status */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Loans keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                item_id: number;
                                item_name: string;
                                participant_id: number;
                                participant_name: string;
                                /** @description Units lent */
                                quantity: number;
                                returned: number;
                                lost: number;
                                /** @description quantity - returned - lost */
                                outstanding: number;
                                /**
                                 * @description out while units are outstanding; then lost if any unit was lost, else returned
                                 * @enum {string}
                                 */
                                status: "out" | "returned" | "lost";
                                /** @description Out and past due_at */
                                overdue: boolean;
                                /**
                                 * Format: date-time
                                 * @description null: until the end
                                 */
                                due_at: string | null;
                                /** @description The API key that lent it */
                                lent_by: number;
                                lent_by_name: string | null;
                                request_id: number | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                closed_at: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/boba_info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Statuses, prices and exchange rules */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            boba_statuses: ("Placed" | "In Progress" | "Out for Delivery" | "Delivered" | "Cancelled")[];
                            boba_tokens_per_order: number;
                            /** @description Seconds between two exchanges of one participant */
                            boba_tokens_cooldown: number;
                            /** @description Exchanges allowed per pair of participants; 0 = no limit */
                            boba_pair_exchanges: number;
                            /** @description Largest absolute admin grant */
                            boba_max_grant: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/boba": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Orders keyed by id, optionally for one participant or in one status */
        get: {
            parameters: {
                query?: {
                    participant_id?: number;
                    status?: "Placed" | "In Progress" | "Out for Delivery" | "Delivered" | "Cancelled";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Orders keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                participant_id: number;
                                /** @description The participant's name as it is now, for the kitchen's ticket */
                                participant_name: string;
                                /** @enum {string} */
                                status: "Placed" | "In Progress" | "Out for Delivery" | "Delivered" | "Cancelled";
                                size: string;
                                flavour: string;
                                sweetness: string;
                                ice: string;
                                toppings: string;
                                /** @description Where to bring the drink; null when not given */
                                location: string | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        /**
         * Move an order forward, or cancel it (refunded) while Placed or In Progress; `from` guards against moving it twice
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        order_id: number;
                        status: string;
                        /**
                         * @description The status the caller saw the order in: when it is no longer in it, nothing changes and the answer is 409 order_moved, so a repeated tap cannot move an order twice
                         * @enum {string}
                         */
                        from?: "Placed" | "In Progress" | "Out for Delivery" | "Delivered" | "Cancelled";
                    };
                };
            };
            responses: {
                /** @description Orders keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                participant_id: number;
                                /** @description The participant's name as it is now, for the kitchen's ticket */
                                participant_name: string;
                                /** @enum {string} */
                                status: "Placed" | "In Progress" | "Out for Delivery" | "Delivered" | "Cancelled";
                                size: string;
                                flavour: string;
                                sweetness: string;
                                ice: string;
                                toppings: string;
                                /** @description Where to bring the drink; null when not given */
                                location: string | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        /**
         * Place an order, paying BBT_TOKENS_PER_ORDER tokens
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        participant_id: number;
                        /** @default Medium */
                        size?: string;
                        /** @default HK Milk Tea */
                        flavour?: string;
                        /** @default 50% Sweet */
                        sweetness?: string;
                        /** @default Regular Ice */
                        ice?: string;
                        /** @default None */
                        toppings?: string;
                        /** @description Where to bring the drink, e.g. "Table 12" or "Room E5" */
                        location?: string;
                    };
                };
            };
            responses: {
                /** @description Orders keyed by id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                participant_id: number;
                                /** @description The participant's name as it is now, for the kitchen's ticket */
                                participant_name: string;
                                /** @enum {string} */
                                status: "Placed" | "In Progress" | "Out for Delivery" | "Delivered" | "Cancelled";
                                size: string;
                                flavour: string;
                                sweetness: string;
                                ice: string;
                                toppings: string;
                                /** @description Where to bring the drink; null when not given */
                                location: string | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bbt_token_exchange": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Two participants who met each get one token (cooldown and pair limit apply)
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Admins name both by id (or participant 2 by badge). A participant key is participant 1 and names participant 2 by the code of the badge they scanned, with the live code their phone shows. */
            requestBody: {
                content: {
                    "application/json": {
                        participant_1_id?: number;
                        participant_2_id?: number;
                        participant_2_badge?: string;
                        /** @description The live code on participant 2's phone (the c of the badge link it shows). A participant key needs the current or the previous 30 s code while EXCHANGE_REQUIRES_LIVE_CODE is on; otherwise it is not checked. */
                        participant_2_code?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            success: "Tokens exchanged";
                            new_tokens_1: number;
                            new_tokens_2: number;
                            /** @description Whom participant 1 met, to confirm the exchange; they stand face to face, so this tells them nothing new */
                            participant_2_name: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bbt_token_admin_give": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Grant (or, negative, take back) tokens; never below zero
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        participant_id: number;
                        /** @description Non-zero, at most BBT_MAX_GRANT either way */
                        tokens: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            success: "Tokens given";
                            new_tokens: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A participant's balance and token ledger, newest first */
        get: {
            parameters: {
                query: {
                    page: number;
                    page_size: number;
                };
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            participant_id: number;
                            bbt_tokens: number;
                            entries: {
                                id: number;
                                amount: number;
                                /** @enum {string} */
                                kind: "exchange" | "grant" | "order" | "refund";
                                reference: {
                                    type: "order" | "participant";
                                    id: number;
                                } | null;
                                /** Format: date-time */
                                created_at: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All API keys, without secrets */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description API keys keyed by id, without secrets */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                id: number;
                                name: string;
                                /** @enum {string} */
                                role: "admin" | "volunteer" | "participant";
                                participant_id: number | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                expires_at: string | null;
                                /** Format: date-time */
                                last_used_at: string | null;
                                /** Format: date-time */
                                revoked_at: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create an API key; the response is the only time the key is shown
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        role: "admin" | "volunteer" | "participant";
                        name: string;
                        participant_id?: number;
                        expires_in_days?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            name: string;
                            /** @enum {string} */
                            role: "admin" | "volunteer" | "participant";
                            participant_id: number | null;
                            /** Format: date-time */
                            expires_at: string | null;
                            /** @description The secret; shown only in this response */
                            key: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/keys/participant-links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a key for every participant without one; answers a CSV of sign-in links for a mail merge */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description id,name,email,sign_in_link */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key; it stops working at once
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            name: string;
                            /** @enum {string} */
                            role: "admin" | "volunteer" | "participant";
                            participant_id: number | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            expires_at: string | null;
                            /** Format: date-time */
                            last_used_at: string | null;
                            /** Format: date-time */
                            revoked_at: string | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}/badge.svg": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A participant's QR badge (SVG) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The QR badge as image/svg+xml */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/svg+xml": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}/badge.png": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A participant's QR badge (PNG, 512 px) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The QR badge as image/png */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/png": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/badges/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who a scanned badge belongs to */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            participant_id: number;
                            name: string;
                            checked_in: boolean;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}/badge/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue a new badge code; the old one stops working
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            participant_id: number;
                            /** @description The code inside the QR badge: `<participant id>.<version>.<Ed25519 signature>`, checkable offline */
                            badge: string;
                            /** @description Goes up with each rotation; badges of older versions are revoked */
                            version: number;
                            /** @description What the QR code encodes: <PUBLIC_URL>/b/<badge> */
                            url: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's key and, for a participant key, their profile, check-in, balance, orders and badge */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            key: {
                                id: number;
                                name: string;
                                /** @enum {string} */
                                role: "admin" | "volunteer" | "participant";
                                participant_id: number | null;
                            };
                            participant: {
                                id: number;
                                name: string;
                                company: string;
                                email: string;
                                phone: string;
                                checked_in: boolean;
                                bbt_tokens: number;
                                /** @description Unix seconds of the last token exchange; 0 when never exchanged */
                                bbt_tokens_last_exchange_time: number;
                                skills: {
                                    skill: string;
                                    rating: number;
                                }[];
                                /** @description Short lower-case tags such as hacker, mentor, meal-group-a */
                                tags: string[];
                                /** @description Free text; empty when none */
                                dietary_restrictions: string;
                            } | null;
                            check_in: {
                                participant_id: number;
                                checked_in: boolean;
                                /** @description Unix seconds */
                                check_in_time?: number;
                                /** @description Id of the API key that checked the participant in */
                                volunteer_id?: number;
                                /** @description Name of that API key, e.g. "Desk 3" */
                                volunteer_name?: string;
                            } | null;
                            /** @description Orders keyed by id */
                            orders: {
                                [key: string]: {
                                    participant_id: number;
                                    /** @description The participant's name as it is now, for the kitchen's ticket */
                                    participant_name: string;
                                    /** @enum {string} */
                                    status: "Placed" | "In Progress" | "Out for Delivery" | "Delivered" | "Cancelled";
                                    size: string;
                                    flavour: string;
                                    sweetness: string;
                                    ice: string;
                                    toppings: string;
                                    /** @description Where to bring the drink; null when not given */
                                    location: string | null;
                                    /** Format: date-time */
                                    created_at: string;
                                    /** Format: date-time */
                                    updated_at: string;
                                };
                            } | null;
                            /** @description Loans keyed by id */
                            loans: {
                                [key: string]: {
                                    item_id: number;
                                    item_name: string;
                                    participant_id: number;
                                    participant_name: string;
                                    /** @description Units lent */
                                    quantity: number;
                                    returned: number;
                                    lost: number;
                                    /** @description quantity - returned - lost */
                                    outstanding: number;
                                    /**
                                     * @description out while units are outstanding; then lost if any unit was lost, else returned
                                     * @enum {string}
                                     */
                                    status: "out" | "returned" | "lost";
                                    /** @description Out and past due_at */
                                    overdue: boolean;
                                    /**
                                     * Format: date-time
                                     * @description null: until the end
                                     */
                                    due_at: string | null;
                                    /** @description The API key that lent it */
                                    lent_by: number;
                                    lent_by_name: string | null;
                                    request_id: number | null;
                                    /** Format: date-time */
                                    created_at: string;
                                    /** Format: date-time */
                                    closed_at: string | null;
                                };
                            } | null;
                            badge: {
                                participant_id: number;
                                /** @description The code inside the QR badge: `<participant id>.<version>.<Ed25519 signature>`, checkable offline */
                                badge: string;
                                /** @description Goes up with each rotation; badges of older versions are revoked */
                                version: number;
                                /** @description What the QR code encodes: <PUBLIC_URL>/b/<badge> */
                                url: string;
                            } | null;
                            /** @description The participant's live exchange code: shown on their badge screen as <badge url>?c=<code>, sent by whoever scans it as participant_2_code */
                            live_code: {
                                /** @description RFC 4648 base32, no padding; a badge rotation changes it */
                                secret: string;
                                /** @enum {number} */
                                digits: 6;
                                /**
                                 * @description Seconds per code, counted from the Unix epoch
                                 * @enum {number}
                                 */
                                period: 30;
                                /** @enum {string} */
                                algorithm: "SHA1";
                            } | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Everything Tapioca holds about the caller, as a JSON attachment: the key, and for a participant key their profile, skills, check-in, tokens and ledger, orders, scans, hardware, keys and the audit rows about them */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description ISO 8601, UTC */
                            exported_at: string;
                            key: {
                                id: number;
                                name: string;
                                /** @description ISO 8601, UTC */
                                created_at: string;
                                /** @description ISO 8601, UTC */
                                expires_at: string | null;
                                /** @description ISO 8601, UTC */
                                last_used_at: string | null;
                                /** @description ISO 8601, UTC */
                                revoked_at: string | null;
                                /** @enum {string} */
                                role: "admin" | "volunteer" | "participant";
                                participant_id: number | null;
                            };
                            /** @description null for a staff key */
                            participant: {
                                profile: {
                                    id: number;
                                    name: string;
                                    email: string;
                                    phone: string;
                                    company: string;
                                    dietary_restrictions: string;
                                    tags: string[];
                                    /** @description ISO 8601, UTC */
                                    created_at: string;
                                    /** @description ISO 8601, UTC */
                                    updated_at: string;
                                };
                                skills: {
                                    skill: string;
                                    rating: number;
                                }[];
                                check_in: {
                                    /** @description ISO 8601, UTC */
                                    checked_in_at: string;
                                    /** @description ISO 8601, UTC */
                                    recorded_at: string;
                                    /** @description Recorded after the time it is dated: an offline scanner uploaded it later */
                                    offline: boolean;
                                } | null;
                                /** @description Badges printed with an older version no longer work */
                                badge_version: number;
                                tokens: {
                                    balance: number;
                                    /** @description ISO 8601, UTC */
                                    last_exchange_at: string | null;
                                    /** @description Every movement, oldest first; the balance is their sum */
                                    ledger: {
                                        id: number;
                                        amount: number;
                                        /** @enum {string} */
                                        kind: "exchange" | "grant" | "order" | "refund";
                                        order_id: number | null;
                                        /** @description The other participant of an exchange */
                                        counterpart_id: number | null;
                                        /** @description The key whose request moved the tokens */
                                        actor_key_id: number | null;
                                        /** @description ISO 8601, UTC */
                                        created_at: string;
                                    }[];
                                };
                                orders: {
                                    id: number;
                                    /** @enum {string} */
                                    status: "Placed" | "In Progress" | "Out for Delivery" | "Delivered" | "Cancelled";
                                    size: string;
                                    flavour: string;
                                    sweetness: string;
                                    ice: string;
                                    toppings: string;
                                    location: string | null;
                                    cost: number;
                                    /** @description ISO 8601, UTC */
                                    created_at: string;
                                    /** @description ISO 8601, UTC */
                                    updated_at: string;
                                }[];
                                /** @description Every scan of them at a checkpoint, oldest first */
                                scans: {
                                    id: number;
                                    checkpoint_id: number;
                                    checkpoint_name: string;
                                    /** @enum {string} */
                                    outcome: "accepted" | "refused";
                                    /** @enum {string|null} */
                                    reason: "already_redeemed" | "limit_reached" | "not_checked_in" | "not_open_yet" | "closed" | "capacity_reached" | "not_allowed" | "unknown_badge" | "participant_not_found" | "offline_conflict" | null;
                                    /** @description ISO 8601, UTC */
                                    scanned_at: string;
                                    offline: boolean;
                                    /** @description ISO 8601, UTC */
                                    annulled_at: string | null;
                                }[];
                                hardware_loans: {
                                    id: number;
                                    item_id: number;
                                    item_name: string;
                                    quantity: number;
                                    returned: number;
                                    lost: number;
                                    /** @enum {string} */
                                    status: "out" | "returned" | "lost";
                                    /** @description ISO 8601, UTC */
                                    due_at: string | null;
                                    /** @description ISO 8601, UTC */
                                    created_at: string;
                                    /** @description ISO 8601, UTC */
                                    closed_at: string | null;
                                    events: {
                                        /** @enum {string} */
                                        kind: "lent" | "returned" | "lost";
                                        quantity: number;
                                        note: string | null;
                                        /** @description ISO 8601, UTC */
                                        at: string;
                                    }[];
                                }[];
                                hardware_requests: {
                                    id: number;
                                    item_id: number;
                                    item_name: string;
                                    quantity: number;
                                    /** @enum {string} */
                                    status: "requested" | "ready" | "collected" | "cancelled";
                                    loan_id: number | null;
                                    /** @description ISO 8601, UTC */
                                    created_at: string;
                                    /** @description ISO 8601, UTC */
                                    updated_at: string;
                                }[];
                                /** @description Every key made for them, revoked ones too; never the secret or its hash */
                                api_keys: {
                                    id: number;
                                    name: string;
                                    /** @description ISO 8601, UTC */
                                    created_at: string;
                                    /** @description ISO 8601, UTC */
                                    expires_at: string | null;
                                    /** @description ISO 8601, UTC */
                                    last_used_at: string | null;
                                    /** @description ISO 8601, UTC */
                                    revoked_at: string | null;
                                }[];
                                /** @description Every change staff made to them (audit rows whose target is participant:<id>), oldest first */
                                audit: {
                                    id: number;
                                    /** @description ISO 8601, UTC */
                                    at: string;
                                    actor: {
                                        key_id: number | null;
                                        name: string;
                                        /** @enum {string} */
                                        role: "admin" | "volunteer" | "participant";
                                    };
                                    action: string;
                                    /** @description The fields the change touched, as they were; null when nothing was there */
                                    before: unknown;
                                    /** @description The same fields afterwards; null when the change removed it */
                                    after: unknown;
                                    /** @description True when the participant it describes was deleted: before and after are gone */
                                    redacted: boolean;
                                }[];
                            } | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/exports/participants.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every participant not deleted, with personal data and skills (Python:4; SQL:3), in the CSV import's headers, as a CSV attachment (UTF-8 with a BOM, header row first, times in ISO 8601 UTC) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Columns: id,Name,Email,Phone,Company,Skills,Dietary Restrictions,Tags,checked_in,checked_in_at,bbt_tokens,created_at. A text cell beginning with =, +, -, @, tab or CR starts with an added '. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/exports/checkins.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every check-in, as a CSV attachment (UTF-8 with a BOM, header row first, times in ISO 8601 UTC) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Columns: participant_id,checked_in_at,recorded_at,offline,volunteer_key_id,volunteer_key_name. A text cell beginning with =, +, -, @, tab or CR starts with an added '. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/exports/scans.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every checkpoint scan, accepted, refused or annulled, as a CSV attachment (UTF-8 with a BOM, header row first, times in ISO 8601 UTC) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Columns: id,checkpoint_id,checkpoint_name,participant_id,outcome,reason,scanned_at,received_at,offline,annulled_at,key_id,key_name. A text cell beginning with =, +, -, @, tab or CR starts with an added '. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/exports/orders.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every boba order, as a CSV attachment (UTF-8 with a BOM, header row first, times in ISO 8601 UTC) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Columns: id,participant_id,status,size,flavour,sweetness,ice,toppings,location,cost,created_at,updated_at. A text cell beginning with =, +, -, @, tab or CR starts with an added '. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/exports/ledger.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every token movement, as a CSV attachment (UTF-8 with a BOM, header row first, times in ISO 8601 UTC) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Columns: id,participant_id,amount,kind,order_id,counterpart_id,actor_key_id,created_at. A text cell beginning with =, +, -, @, tab or CR starts with an added '. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/exports/loans.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every hardware loan, as a CSV attachment (UTF-8 with a BOM, header row first, times in ISO 8601 UTC) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Columns: id,item_id,item_name,participant_id,quantity,returned,lost,status,due_at,created_at,updated_at,closed_at,request_id,key_id,key_name. A text cell beginning with =, +, -, @, tab or CR starts with an added '. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live figures for the organizers' dashboard */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            participants: number;
                            checked_in: number;
                            /** @description Orders per status */
                            orders_by_status: {
                                [key: string]: number;
                            };
                            /** @description Sum of all balances */
                            tokens_in_circulation: number;
                            top_skills: {
                                skill: string;
                                frequency: number;
                                average_rating: number;
                            }[];
                            check_ins_over_time: {
                                /** Format: date-time */
                                hour: string;
                                count: number;
                            }[];
                            /** @description Every checkpoint, archived ones too (a finished meal keeps its uptake), in id order */
                            checkpoints: {
                                id: number;
                                name: string;
                                kind: string;
                                capacity: number | null;
                                /** @description Accepted scans, not annulled */
                                accepted: number;
                                /** @description Participants with at least one accepted scan */
                                participants: number;
                                refused: number;
                                /** @description Of the refused: scans let through offline that could not be counted */
                                conflicts: number;
                                archived: boolean;
                            }[];
                            hardware: {
                                /** @description Items not archived */
                                items: number;
                                /** @description Units the library owns */
                                units: number;
                                /** @description Units lent now */
                                out: number;
                                overdue_loans: number;
                                open_requests: number;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checkin/counts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Participants registered and checked in, for a scanning station's counter */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            participants: number;
                            checked_in: number;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import participants from a CSV file (a registration tool export); with dry_run=true, only say what would happen
         * @description Columns are found by header (Name or First Name + Last Name, Email, Phone, Company/School, Skills, Dietary Restrictions, Tags, and one column per skill such as `Rate your skills [Python]`) or named with `map`. Rows whose e-mail is taken (in the file or the event, in any letter case) are skipped, or updated with update=true; bad rows are skipped with their row number and why; the rest loads. Up to 20 MB.
         */
        post: {
            parameters: {
                query?: {
                    /** @description Only report what the import would do: nothing is written */
                    dry_run?: boolean;
                    /** @description Update participants whose e-mail (in any letter case) is taken, instead of skipping them */
                    update?: boolean;
                    /** @description Replace the event's data (participants, check-ins, orders, tokens, scans, loans) by the file's participants, as one unit */
                    reset?: boolean;
                    /** @description Columns by header, before any guess: `field=Header,field=Header`, where a field is one of name, first_name, last_name, email, phone, company, skills, dietary_restrictions, tags; `field=` says the file has none */
                    map?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description The CSV file (UTF-8; header row first; , ; or tab between fields), sent as text/csv */
            requestBody: {
                content: {
                    "text/csv": string;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Whether this only reports what an import would do */
                            dry_run: boolean;
                            /** @description Data rows read, blank rows aside */
                            total: number;
                            /** @description Participants created (or that would be) */
                            new: number;
                            /** @description Participants matched by e-mail and updated (or that would be); only with update */
                            updated: number;
                            skipped: {
                                /** @description The row number a spreadsheet shows: the header is row 1 */
                                row: number;
                                reason: string;
                            }[];
                            /** @description The header read for each field */
                            columns: {
                                [key: string]: string;
                            };
                            /** @description For a file with one column per skill: the header read for each skill */
                            skill_columns: {
                                [key: string]: string;
                            };
                            /** @description Headers of the columns no field uses */
                            ignored_columns: string[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every change made by an admin or volunteer key, newest first; filter by actor key id, action, target */
        get: {
            parameters: {
                query?: {
                    actor?: number;
                    /** @description Such as participant.update, order.move */
                    action?: string;
                    /** @description Such as participant:42, order:7 */
                    target?: string;
                    page?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            page: number;
                            page_size: number;
                            /** @description Newest first */
                            rows: {
                                id: number;
                                /** @description ISO 8601, UTC */
                                at: string;
                                actor: {
                                    key_id: number | null;
                                    name: string;
                                    /** @enum {string} */
                                    role: "admin" | "volunteer" | "participant";
                                };
                                action: string;
                                target: string;
                                /** @description The fields the change touched, as they were; null when nothing was there */
                                before: unknown;
                                /** @description The same fields afterwards; null when the change removed it */
                                after: unknown;
                                /** @description True when the participant it describes was deleted: before and after are gone */
                                redacted: boolean;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-sent events: order, checkin and tokens, each role only what it may read
         * @description Send Last-Event-ID (or ?since=) after a dropped connection: the events missed since then come first, then `ready` with the latest event id, then live events.
         */
        get: {
            parameters: {
                query?: {
                    since?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An event stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/b/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What a badge QR code opens: the web app on the scan flow for this badge */
        get: {
            parameters: {
                query?: {
                    /** @description The badge holder's live code, for an exchange (6 digits) */
                    c?: string;
                };
                header?: never;
                path: {
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Redirect to /app/#/b/<code>, with ?c=<live code> when one was given */
                302: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Registered endpoints with their pending and failed deliveries, without secrets */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Webhook endpoints keyed by id, without their secrets */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                id: number;
                                url: string;
                                /** @description Event names, and `loan.*` for every loan event */
                                events: string[];
                                /** @enum {string} */
                                format: "json" | "discord" | "slack";
                                /** Format: date-time */
                                created_at: string;
                                /** @description Deliveries waiting to be sent or retried */
                                pending: number;
                                /** @description Deliveries given up after 24 hours of retries */
                                failed: number;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Register an endpoint for events; the response is the only time its signing secret is shown
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description format json (default) sends Standard Webhooks JSON {type, timestamp, data}; discord and slack send one readable line ({content} or {text}) to a Discord or Slack incoming webhook URL. `loan.*` is every loan event. */
            requestBody: {
                content: {
                    "application/json": {
                        url: string;
                        events: ("check_in" | "scan" | "order.created" | "order.moved" | "tokens.granted" | "loan.lent" | "loan.returned" | "loan.lost" | "loan.*")[];
                        /** @enum {string} */
                        format?: "json" | "discord" | "slack";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            url: string;
                            /** @description Event names, and `loan.*` for every loan event */
                            events: string[];
                            /** @enum {string} */
                            format: "json" | "discord" | "slack";
                            /** Format: date-time */
                            created_at: string;
                            /** @description The signing secret (whsec_ + base64), for verifying webhook-signature; shown only in this response */
                            secret: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete an endpoint: nothing more is sent to it, and its pending deliveries are cancelled
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            url: string;
                            /** @description Event names, and `loan.*` for every loan event */
                            events: string[];
                            /** @enum {string} */
                            format: "json" | "discord" | "slack";
                            /** Format: date-time */
                            created_at: string;
                            /** @description Deliveries waiting to be sent or retried */
                            pending: number;
                            /** @description Deliveries given up after 24 hours of retries */
                            failed: number;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An endpoint's deliveries, 50 a page, newest first, each with its attempts and the receiver's answers */
        get: {
            parameters: {
                query?: {
                    page?: number;
                };
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            page: number;
                            page_size: number;
                            /** @description Newest first */
                            deliveries: {
                                /** @description The webhook-id header carries msg_<id>, the same on every attempt */
                                id: number;
                                webhook_id: number;
                                event: string;
                                /** @description The event data, as sent */
                                data: {
                                    [key: string]: unknown;
                                };
                                /** @enum {string} */
                                status: "pending" | "delivered" | "failed" | "cancelled";
                                /**
                                 * Format: date-time
                                 * @description While pending: when it is sent next
                                 */
                                next_attempt_at: string | null;
                                /** Format: date-time */
                                created_at: string;
                                /**
                                 * Format: date-time
                                 * @description When it was delivered, failed or cancelled
                                 */
                                finished_at: string | null;
                                /** @description Every attempt, oldest first */
                                attempts: {
                                    /** Format: date-time */
                                    attempted_at: string;
                                    duration_ms: number;
                                    /** @description The receiver's HTTP status; null when it gave none */
                                    status_code: number | null;
                                    /** @description The first KB of the receiver's answer */
                                    response: string | null;
                                    /** @description Why there was no answer: a timeout, a refused connection */
                                    error: string | null;
                                }[];
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a failed (or delivered) delivery again, now; 409 while it is still pending
         * @description Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 `idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The webhook-id header carries msg_<id>, the same on every attempt */
                            id: number;
                            webhook_id: number;
                            event: string;
                            /** @description The event data, as sent */
                            data: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "pending" | "delivered" | "failed" | "cancelled";
                            /**
                             * Format: date-time
                             * @description While pending: when it is sent next
                             */
                            next_attempt_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            /**
                             * Format: date-time
                             * @description When it was delivered, failed or cancelled
                             */
                            finished_at: string | null;
                            /** @description Every attempt, oldest first */
                            attempts: {
                                /** Format: date-time */
                                attempted_at: string;
                                duration_ms: number;
                                /** @description The receiver's HTTP status; null when it gave none */
                                status_code: number | null;
                                /** @description The first KB of the receiver's answer */
                                response: string | null;
                                /** @description Why there was no answer: a timeout, a refused connection */
                                error: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorResponse"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ErrorResponse: {
            /** @description Human-readable message; may change, branch on code instead */
            error: string;
            /**
             * @description Stable machine-readable code
             * @enum {string}
             */
            code: "validation_failed" | "malformed_json" | "payload_too_large" | "unsupported_media_type" | "url_too_long" | "malformed_request" | "not_found" | "authentication_required" | "forbidden" | "rate_limited" | "database_unavailable" | "web_app_not_built" | "internal" | "participant_not_found" | "badge_not_found" | "key_not_found" | "order_not_found" | "checkpoint_not_found" | "scan_not_found" | "unknown_badge" | "email_taken" | "already_checked_in" | "target_required" | "participant_required" | "participant_not_allowed" | "ambiguous_partner" | "partner_required" | "self_exchange" | "cooldown" | "pair_limit" | "invalid_grant" | "negative_balance" | "not_enough_tokens" | "invalid_status" | "invalid_transition" | "order_moved" | "invalid_time" | "scan_not_accepted" | "already_annulled" | "already_redeemed" | "limit_reached" | "not_checked_in" | "not_open_yet" | "closed" | "capacity_reached" | "not_allowed" | "offline_conflict" | "invalid_cursor" | "stale_code" | "hardware_not_found" | "hardware_request_not_found" | "loan_not_found" | "item_archived" | "already_requested" | "request_moved" | "request_mismatch" | "request_closed" | "out_of_stock" | "per_participant_limit" | "quantity_below_loans" | "already_returned" | "loan_lost" | "return_exceeds_loan" | "confirmation_required" | "loans_open" | "webhook_not_found" | "delivery_not_found" | "delivery_pending" | "invalid_csv" | "unmapped_columns" | "demo_data" | "idempotency_key_reused" | "idempotency_in_progress";
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
