-- Parsers for the cell values real files hold, applied to whole columns at once.
-- Every parser returns NULL for what it cannot read; the validate step turns that into a located error.

-- The space separators (Unicode Zs), the characters trim removes; a cell's first or last character is
-- looked up in this text (one string search, where comparisons of its code would each decode it again).
CREATE OR REPLACE TEMP MACRO sa_space_separators() AS
    ' ' || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197)
    || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8239) || chr(8287) || chr(12288);

-- Text: white space (no-break and thin spaces too) collapsed, empty as NULL.
-- (CASE evaluates its branches lazily, so the cheap tests run first: most cells hold no white space
-- to collapse and neither start nor end with a space separator, the only characters trim removes,
-- and are kept whole without the costly unicode trim.)
CREATE OR REPLACE TEMP MACRO sa_text(s) AS
    CASE
        WHEN contains(s, '  ') OR contains(s, chr(160)) OR contains(s, chr(9)) OR contains(s, chr(10))
             OR contains(s, chr(13)) OR contains(s, chr(8239))
            THEN nullif(trim(regexp_replace(s, '[\s\x{00A0}\x{202F}\x{2007}\x{2009}]+', ' ', 'g')), '')
        WHEN contains(sa_space_separators(), left(s, 1)) OR contains(sa_space_separators(), right(s, 1))
            THEN nullif(trim(s), '')
        ELSE nullif(s, '')
    END;

-- A number written as people write it, as plain text DuckDB can cast:
-- "12 345,67" "12345.67" "12 345,67 ₽" "(1 234)" "-1 234,50" "1,234,567.89" "70%" -> "12345.67" …
CREATE OR REPLACE TEMP MACRO sa_numtext_strip(s) AS
    regexp_replace(
        lower(s),
        '[\s\x{00A0}\x{202F}\x{2007}\x{2009}''%₽$€]|руб\.?|р\.|rub|eur|usd',
        '',
        'g'
    );
CREATE OR REPLACE TEMP MACRO sa_numtext_sign(s) AS
    CASE WHEN regexp_full_match(s, '\(.*\)') THEN '-' || trim(s, '()') ELSE s END;
CREATE OR REPLACE TEMP MACRO sa_numtext_sep(s) AS
    CASE
        -- both separators: the last one is the decimal point
        WHEN contains(s, ',') AND contains(s, '.') THEN
            CASE WHEN strpos(reverse(s), ',') < strpos(reverse(s), '.')
                 THEN replace(replace(s, '.', ''), ',', '.')
                 ELSE replace(s, ',', '') END
        -- several commas: thousands separators; one comma: the Russian decimal comma
        WHEN regexp_full_match(s, '-?\d{1,3}(,\d{3}){2,}') THEN replace(s, ',', '')
        ELSE replace(s, ',', '.')
    END;
CREATE OR REPLACE TEMP MACRO sa_numtext(s) AS
    sa_numtext_sep(sa_numtext_sign(sa_numtext_strip(s)));

-- Money, exact to the kopeck (more decimals are rounded half away from zero).
-- Fast paths first, each behind a regex guard (a failing cast costs more than the regex):
-- a plain number, as spreadsheets give; "12 345,67" with spaces and a decimal comma; then the rest.
CREATE OR REPLACE TEMP MACRO sa_money(s) AS
    CASE
        WHEN s IS NULL THEN NULL
        WHEN regexp_full_match(s, '-?[0-9]+(\.[0-9]+)?') THEN TRY_CAST(s AS DECIMAL(18, 2))
        WHEN regexp_full_match(s, '-?[0-9][0-9 \x{00A0}]*(,[0-9]+)?')
            THEN TRY_CAST(replace(replace(replace(s, ' ', ''), chr(160), ''), ',', '.') AS DECIMAL(18, 2))
        WHEN TRY_CAST(sa_numtext(s) AS DECIMAL(18, 2)) IS NOT NULL THEN TRY_CAST(sa_numtext(s) AS DECIMAL(18, 2))
        WHEN regexp_full_match(sa_numtext(s), '-?[0-9.]+e[-+]?[0-9]+')
            THEN TRY_CAST(TRY_CAST(sa_numtext(s) AS DOUBLE) AS DECIMAL(18, 2))
    END;

-- The cheap cast a whole column goes through first: spaces dropped, a decimal comma read as a point.
-- It never reads a value differently from sa_money; what it cannot read (NULL) gets sa_money after.
-- (A cell with no space takes only the comma's replace, a no-op where it has none: "3798,34" is
-- the common export cell, and two replaces that change nothing cost a third of the cast.)
CREATE OR REPLACE TEMP MACRO sa_money_fast(s) AS
    CASE
        WHEN contains(s, ' ') OR contains(s, chr(160))
            THEN TRY_CAST(replace(replace(replace(s, ' ', ''), chr(160), ''), ',', '.') AS DECIMAL(18, 2))
        ELSE TRY_CAST(replace(s, ',', '.') AS DECIMAL(18, 2))
    END;

-- Money through the cheap cast, the rest through the full parser (coalesce evaluates lazily).
CREATE OR REPLACE TEMP MACRO sa_money_cell(s) AS coalesce(sa_money_fast(s), sa_money(s));

CREATE OR REPLACE TEMP MACRO sa_quantity(s) AS TRY_CAST(sa_numtext(s) AS DECIMAL(18, 4));

-- A probability: "70%", "70", "0,7", "0.7" -> 0.7. Above 1 reads as a percentage.
CREATE OR REPLACE TEMP MACRO sa_probability_raw(s) AS TRY_CAST(sa_numtext(s) AS DECIMAL(18, 6));
CREATE OR REPLACE TEMP MACRO sa_probability(s) AS
    CASE
        WHEN sa_probability_raw(s) IS NULL THEN NULL
        WHEN contains(s, '%') OR sa_probability_raw(s) > 1
            THEN CAST(sa_probability_raw(s) / 100 AS DECIMAL(7, 4))
        ELSE CAST(sa_probability_raw(s) AS DECIMAL(7, 4))
    END;

-- A day: an Excel date (read as "2026-11-16 00:00:00"), "16.11.2026", "2026-11-16", "16/11/2026",
-- "16.11.26", or an Excel serial day number.
CREATE OR REPLACE TEMP MACRO sa_date(s) AS
    CASE
        WHEN s IS NULL THEN NULL
        WHEN try_strptime(s, '%Y-%m-%d %H:%M:%S') IS NOT NULL THEN CAST(try_strptime(s, '%Y-%m-%d %H:%M:%S') AS DATE)
        WHEN length(s) = 10 AND try_strptime(s, '%d.%m.%Y') IS NOT NULL THEN CAST(try_strptime(s, '%d.%m.%Y') AS DATE)
        WHEN regexp_full_match(trim(s), '[0-9]{5}(\.[0-9]+)?')
             AND TRY_CAST(trim(s) AS DOUBLE) BETWEEN 20000 AND 80000
            THEN DATE '1899-12-30' + CAST(floor(CAST(trim(s) AS DOUBLE)) AS INTEGER)
        ELSE CAST(try_strptime(trim(s), [
            '%Y-%m-%d %H:%M:%S', '%Y-%m-%d', '%d.%m.%y', '%d.%m.%Y', '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M',
            '%d/%m/%Y', '%d/%m/%Y %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S.%f'
        ]) AS DATE)
    END;

-- The usual day cells read by one format each, exactly as sa_date reads them; NULL for the rest.
-- (Each format is tried only on cells shaped for it: a failing try_strptime costs ten times a match.)
CREATE OR REPLACE TEMP MACRO sa_date_fast(s) AS
    CAST(CASE
        WHEN strlen(s) = 10 AND contains(s, '.') THEN try_strptime(s, '%d.%m.%Y')
        WHEN strlen(s) = 10 AND contains(s, '-') THEN try_strptime(s, '%Y-%m-%d')
        WHEN strlen(s) = 19 THEN try_strptime(s, '%Y-%m-%d %H:%M:%S')
    END AS DATE);

-- A day through the usual formats, the rest through the full parser.
CREATE OR REPLACE TEMP MACRO sa_date_cell(s) AS coalesce(sa_date_fast(s), sa_date(s));

-- A month name (Russian or English, any case, full, short or genitive) -> 1..12.
CREATE OR REPLACE TEMP MACRO sa_month_number(name) AS
    CASE
        WHEN left(lower(name), 3) IN ('мая', 'май') THEN 5
        ELSE nullif(((list_position(
            ['янв', 'фев', 'мар', 'апр', 'ма_', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек',
             'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
            left(lower(name), 3)) - 1) % 12) + 1, 0)
    END;

CREATE OR REPLACE TEMP MACRO sa_year(y) AS
    CASE WHEN length(y) = 2 THEN 2000 + CAST(y AS INTEGER) ELSE CAST(y AS INTEGER) END;

-- A month, as its first day: "2026-12", "12.2026", "декабрь 2026", "Дек 26", "янв.26", a date in
-- the month; a month name alone takes default_year (NULL when unknown).
CREATE OR REPLACE TEMP MACRO sa_month(s, default_year) AS
    CASE
        WHEN regexp_full_match(trim(s), '(\d{4})[-./](\d{1,2})')
            THEN try(make_date(
                CAST(regexp_extract(trim(s), '(\d{4})[-./](\d{1,2})', 1) AS INTEGER),
                CAST(regexp_extract(trim(s), '(\d{4})[-./](\d{1,2})', 2) AS INTEGER), 1))
        WHEN regexp_full_match(trim(s), '(\d{1,2})[-./](\d{4})')
            THEN try(make_date(
                CAST(regexp_extract(trim(s), '(\d{1,2})[-./](\d{4})', 2) AS INTEGER),
                CAST(regexp_extract(trim(s), '(\d{1,2})[-./](\d{4})', 1) AS INTEGER), 1))
        WHEN regexp_full_match(lower(trim(s)), '([a-zа-яё]+)\.?[\s\-]*''?(\d{4}|\d{2})( г\.?| года?)?')
             AND sa_month_number(regexp_extract(lower(trim(s)), '([a-zа-яё]+)', 1)) IS NOT NULL
            THEN make_date(
                sa_year(regexp_extract(lower(trim(s)), '(\d{4}|\d{2})', 1)),
                sa_month_number(regexp_extract(lower(trim(s)), '([a-zа-яё]+)', 1)), 1)
        WHEN regexp_full_match(lower(trim(s)), '[a-zа-яё]+\.?')
             AND sa_month_number(trim(s, '.')) IS NOT NULL
             AND (length(trim(s, '.')) >= 3)
            THEN CASE WHEN default_year IS NOT NULL
                      THEN make_date(CAST(default_year AS INTEGER), sa_month_number(trim(s, '.')), 1) END
        ELSE date_trunc('month', sa_date(s))::DATE
    END;

-- Deal status: open (default), won, lost; NULL for a text we do not know (counted as open, reported).
CREATE OR REPLACE TEMP MACRO sa_status(s) AS
    CASE
        WHEN sa_text(s) IS NULL THEN 'open'
        WHEN regexp_matches(lower(s), '^\s*(в работе|открыт|активн|новая|новый|open|in progress|active|new)')
            THEN 'open'
        WHEN regexp_matches(lower(s), '^\s*(выигр|оплач|успешн|закрыта успешно|won|closed won|paid)')
            THEN 'won'
        WHEN regexp_matches(lower(s), '^\s*(проигр|отказ|отмен|закрыта неуспешно|lost|closed lost|cancel)')
            THEN 'lost'
        ELSE NULL
    END;

-- A client's key (SPEC.md "Client identity"): legal forms removed wherever they stand, quotes of
-- every kind removed, ё read as е, case folded, white space collapsed.
CREATE OR REPLACE TEMP MACRO sa_client_key(s) AS
    array_to_string(list_filter(
        string_split(
            regexp_replace(
                regexp_replace(
                    replace(lower(s), 'ё', 'е'),
                    '(общество с ограниченной ответственностью|закрытое акционерное общество|'
                    || 'открытое акционерное общество|публичное акционерное общество|'
                    || 'непубличное акционерное общество|акционерное общество|'
                    || 'индивидуальный предприниматель)',
                    ' ', 'g'),
                '[«»"“”„‟‘’‚`''.,;:()\s\x{00A0}]+', ' ', 'g'),
            ' '),
        lambda w: w <> '' AND w NOT IN (
            'ооо', 'оао', 'зао', 'пао', 'ао', 'нао', 'ип', 'чп', 'тоо', 'одо', 'пк', 'гк', 'нко', 'ано',
            'фгуп', 'муп', 'гуп', 'llc', 'ltd', 'inc', 'gmbh', 'corp', 'plc', 'jsc', 'ojsc', 'cjsc', 'ag', 'sa'
        )), ' ');

-- Subtotal rows: "Итого", "Итого Иванов", "Всего", "Total", "Grand total" … are never data.
CREATE OR REPLACE TEMP MACRO sa_is_subtotal(s) AS
    CASE
        WHEN lower(left(ltrim(s), 1)) IN ('и', 'в', 't', 's', 'g')
            THEN regexp_matches(lower(trim(s)), '^(итого|итог|всего|total|subtotal|grand total|sum total)([^a-zа-яё]|$)')
        ELSE false
    END;
