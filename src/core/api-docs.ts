import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiHeader,
  ApiProperty,
  ApiPropertyOptional,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

/** The one error shape (see http-errors.ts), for the docs. */
export class ErrorBodyView {
  @ApiProperty({ example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'Unprocessable Entity' }) error!: string;
  @ApiProperty({ example: 'The team is already called "CIN North".' }) message!: string;
  @ApiPropertyOptional({
    description: 'For 400: [{ field, problems[] }] per failing field. For 404/409/422: { code } naming the rule.',
    example: { code: 'TEAM_NAME_UNCHANGED' },
  })
  details?: unknown;
}

/** The responses every signed-in route can give, documented once. */
export const ApiSignedIn = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorBodyView, description: 'No valid personal access token.' }),
    ApiForbiddenResponse({ type: ErrorBodyView, description: 'Your role may not do this.' }),
  );

/** Command routes: idempotency and bad input. */
export const ApiCommand = (): MethodDecorator =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Send the same key when retrying: the command is recorded once and the first answer is returned.',
    }),
    ApiBadRequestResponse({ type: ErrorBodyView, description: 'Invalid input: `details` lists each failing field.' }),
  );
